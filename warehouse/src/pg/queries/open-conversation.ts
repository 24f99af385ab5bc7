import { sql, type Kysely } from 'kysely'
import type { Channel, Conversation, Database } from '../schema.js'
import type { AuditInput } from './audit.js'
import type { ContactInput } from './contacts.js'
import { prepared } from './prepared.js'

/** An outbox row as `appendToOutbox` writes it; `envelope` is the event's JSON. */
export interface OutboxRow {
  id: string
  organization_id: string
  partition_key: string
  type: string
  version: number
  envelope: string
}

export interface OpenConversationInput {
  id: string
  organization_id: string
  agent_id: string
  channel: Channel
  /** When it happened (the demo seeder replays history); the transaction's now() otherwise. */
  created_at?: Date
  /** Merged into the organization's contacts as `upsertContact` does; none when absent. */
  contact: { newId: string; input: ContactInput } | null
  /** Its envelope's `contactId` is set to the contact the statement found or inserted. */
  event: OutboxRow
  audit: AuditInput
}

/**
 * POST /conversations in one statement (one round trip instead of six): the agent check, the
 * contact merge (`upsertContact`'s rules: by email, else by phone; fill what the stored contact
 * lacks, the name replaced when given), the conversation, its outbox event and its audit row. No
 * row at all when the organization has no such agent (→ undefined). Data-modifying CTEs all run
 * on the statement's snapshot, so `found` is the contact before the update, and the
 * conversation's foreign key to a contact inserted here holds (checked at the statement's end).
 * Call it inside the caller's transaction when it must commit with other writes.
 */
export async function openConversationRows(
  db: Kysely<Database>,
  c: OpenConversationInput,
): Promise<Conversation | undefined> {
  const org = c.organization_id
  const email = c.contact?.input.email?.toLowerCase() ?? null
  const phone = c.contact?.input.phone ?? null
  const name = c.contact?.input.name ?? null
  const a = c.audit
  const e = c.event
  // Emails are stored lower-cased: lower(email) = … is the same test, and uses the unique index.
  // `… IS NOT NULL` first: a prepared statement's generic plan cannot fold `phone = NULL` away, and
  // would scan the organization's contacts (no index on phone); a parameter-only test gates the scan.
  const q = sql<Conversation>`${prepared('open_conversation')}
WITH agent AS (
  SELECT id FROM agents WHERE organization_id = ${org}::uuid AND id = ${c.agent_id}::uuid
), found AS (
  SELECT id, email, phone, name FROM (
    (SELECT id, email, phone, name, 0 AS pref FROM contacts
      WHERE ${email}::text IS NOT NULL
        AND organization_id = ${org}::uuid AND lower(email) = ${email}::text AND email IS NOT NULL LIMIT 1)
    UNION ALL
    (SELECT id, email, phone, name, 1 AS pref FROM contacts
      WHERE ${phone}::text IS NOT NULL AND organization_id = ${org}::uuid AND phone = ${phone}::text LIMIT 1)
  ) f ORDER BY pref LIMIT 1
), inserted AS (
  INSERT INTO contacts (id, organization_id, email, phone, name)
  SELECT ${c.contact?.newId ?? null}::uuid, ${org}::uuid, ${email}::text, ${phone}::text, ${name}::text FROM agent
  WHERE ${c.contact !== null}::boolean AND NOT EXISTS (SELECT 1 FROM found)
  RETURNING id
), updated AS (
  UPDATE contacts k
  SET email = coalesce(f.email, ${email}::text), phone = coalesce(f.phone, ${phone}::text),
      name = coalesce(${name}::text, f.name), updated_at = now()
  FROM found f
  WHERE k.id = f.id AND EXISTS (SELECT 1 FROM agent)
    AND (f.email IS DISTINCT FROM coalesce(f.email, ${email}::text)
      OR f.phone IS DISTINCT FROM coalesce(f.phone, ${phone}::text)
      OR f.name IS DISTINCT FROM coalesce(${name}::text, f.name))
  RETURNING k.id
), conversation AS (
  INSERT INTO conversations (id, organization_id, agent_id, contact_id, channel, created_at)
  SELECT ${c.id}::uuid, ${org}::uuid, agent.id,
    coalesce((SELECT id FROM inserted), (SELECT id FROM found)), ${c.channel}::text,
    coalesce(${c.created_at ?? null}::timestamptz, now())
  FROM agent
  RETURNING *
), event AS (
  INSERT INTO outbox (id, organization_id, partition_key, type, version, envelope)
  SELECT ${e.id}::uuid, ${e.organization_id}::uuid, ${e.partition_key}::text, ${e.type}::text,
    ${e.version}::integer, jsonb_set(${e.envelope}::jsonb, '{contactId}', coalesce(to_jsonb(contact_id), 'null'::jsonb))
  FROM conversation
), audited AS (
  INSERT INTO audit_log (id, organization_id, actor_type, actor_id, action, resource_type, resource_id, request_id, details)
  SELECT ${a.id}::uuid, ${a.organization_id}::uuid, ${a.actor_type}::text, ${a.actor_id}::uuid, ${a.action}::text,
    ${a.resource_type}::text, ${a.resource_id}::text, ${a.request_id}::text, ${JSON.stringify(a.details ?? {})}::jsonb
  FROM conversation
)
SELECT * FROM conversation`
  const r = await q.execute(db)
  return r.rows[0]
}

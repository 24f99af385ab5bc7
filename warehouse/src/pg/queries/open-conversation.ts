import { CompiledQuery, type Kysely } from 'kysely'
import type { Channel, Conversation, Database } from '../schema.js'
import type { AuditInput } from './audit.js'
import type { ContactInput } from './contacts.js'
import { preparedSql } from './prepared.js'

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

// Emails are stored lower-cased: lower(email) = … is the same test, and uses the unique index.
// `$n IS NOT NULL` first: a prepared statement's generic plan cannot fold `phone = NULL` away, and
// would look up contacts by phone for a request without one; a parameter-only test gates it.
// Written out with numbered parameters, once: no query builder to run per request. Exported for
// the test that holds Postgres to one plan for it (open-conversation-plan.int.test.ts).
export const OPEN_CONVERSATION = preparedSql(
  'open_conversation',
  `WITH agent AS (
  SELECT id FROM agents WHERE organization_id = $1::uuid AND id = $2::uuid
), found AS (
  SELECT id, email, phone, name FROM (
    (SELECT id, email, phone, name, 0 AS pref FROM contacts
      WHERE $3::text IS NOT NULL
        AND organization_id = $1::uuid AND lower(email) = $3::text AND email IS NOT NULL LIMIT 1)
    UNION ALL
    (SELECT id, email, phone, name, 1 AS pref FROM contacts
      WHERE $4::text IS NOT NULL AND organization_id = $1::uuid AND phone = $4::text LIMIT 1)
  ) f ORDER BY pref LIMIT 1
), inserted AS (
  INSERT INTO contacts (id, organization_id, email, phone, name)
  SELECT $5::uuid, $1::uuid, $3::text, $4::text, $6::text FROM agent
  WHERE $7::boolean AND NOT EXISTS (SELECT 1 FROM found)
  RETURNING id
), updated AS (
  UPDATE contacts k
  SET email = coalesce(f.email, $3::text), phone = coalesce(f.phone, $4::text),
      name = coalesce($6::text, f.name), updated_at = now()
  FROM found f
  WHERE k.id = f.id AND EXISTS (SELECT 1 FROM agent)
    AND (f.email IS DISTINCT FROM coalesce(f.email, $3::text)
      OR f.phone IS DISTINCT FROM coalesce(f.phone, $4::text)
      OR f.name IS DISTINCT FROM coalesce($6::text, f.name))
  RETURNING k.id
), conversation AS (
  INSERT INTO conversations (id, organization_id, agent_id, contact_id, channel, created_at)
  SELECT $8::uuid, $1::uuid, agent.id, coalesce((SELECT id FROM inserted), (SELECT id FROM found)),
    $9::text, coalesce($10::timestamptz, now())
  FROM agent
  RETURNING *
), event AS (
  INSERT INTO outbox (id, organization_id, partition_key, type, version, envelope)
  SELECT $11::uuid, $12::uuid, $13::text, $14::text, $15::integer,
    jsonb_set($16::jsonb, '{contactId}', coalesce(to_jsonb(contact_id), 'null'::jsonb))
  FROM conversation
), audited AS (
  INSERT INTO audit_log (id, organization_id, actor_type, actor_id, action, resource_type, resource_id,
    request_id, details)
  SELECT $17::uuid, $18::uuid, $19::text, $20::uuid, $21::text, $22::text, $23::text, $24::text, $25::jsonb
  FROM conversation
)
SELECT * FROM conversation`,
)

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
  const a = c.audit
  const e = c.event
  const r = await db.executeQuery<Conversation>(
    CompiledQuery.raw(OPEN_CONVERSATION, [
      c.organization_id,
      c.agent_id,
      c.contact?.input.email?.toLowerCase() ?? null,
      c.contact?.input.phone ?? null,
      c.contact?.newId ?? null,
      c.contact?.input.name ?? null,
      c.contact !== null,
      c.id,
      c.channel,
      c.created_at ?? null,
      e.id,
      e.organization_id,
      e.partition_key,
      e.type,
      e.version,
      e.envelope,
      a.id,
      a.organization_id,
      a.actor_type,
      a.actor_id,
      a.action,
      a.resource_type,
      a.resource_id,
      a.request_id,
      JSON.stringify(a.details ?? {}),
    ]),
  )
  return r.rows[0]
}

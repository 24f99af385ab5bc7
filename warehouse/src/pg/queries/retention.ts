import { sql, type Kysely } from 'kysely'
import type { Database } from '../schema.js'

/** How long an organization keeps what (days). Bounds in RETENTION_LIMITS; defaults in migration 0015. */
export interface RetentionPolicy {
  /** Conversations, their messages, feedback, outcomes, tasks, contacts without a conversation left. */
  conversationDays: number
  /** Analytics aggregates in ClickHouse (no customer text). */
  analyticsDays: number
}

/**
 * What a policy may say. The ClickHouse tables' TTLs are the maxima (warehouse/src/ch/migrations:
 * text tables 1,095 days, aggregates 1,825), so no policy can keep longer than the TTL does.
 */
export const RETENTION_LIMITS = {
  conversationDays: { min: 1, max: 1095, default: 365 },
  analyticsDays: { min: 30, max: 1825, default: 730 },
} as const

export async function getRetentionPolicy(
  db: Kysely<Database>,
  organizationId: string,
): Promise<RetentionPolicy | undefined> {
  const row = await db
    .selectFrom('organizations')
    .select(['conversation_retention_days', 'analytics_retention_days'])
    .where('id', '=', organizationId)
    .executeTakeFirst()
  return row
    ? { conversationDays: row.conversation_retention_days, analyticsDays: row.analytics_retention_days }
    : undefined
}

export async function setRetentionPolicy(
  db: Kysely<Database>,
  organizationId: string,
  policy: RetentionPolicy,
): Promise<RetentionPolicy | undefined> {
  const row = await db
    .updateTable('organizations')
    .set({
      conversation_retention_days: policy.conversationDays,
      analytics_retention_days: policy.analyticsDays,
      updated_at: new Date(),
    })
    .where('id', '=', organizationId)
    .returning(['conversation_retention_days', 'analytics_retention_days'])
    .executeTakeFirst()
  return row
    ? { conversationDays: row.conversation_retention_days, analyticsDays: row.analytics_retention_days }
    : undefined
}

/** Conversations whose last activity is before `cutoff`, oldest first, at most `limit`. */
export async function expiredConversationIds(
  db: Kysely<Database>,
  organizationId: string,
  cutoff: Date,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('conversations')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where(sql<Date>`coalesce(last_message_at, created_at)`, '<', cutoff)
    .orderBy('created_at')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

export interface DeletedConversations {
  conversations: number
  messages: number
  outboxRows: number
  webhookDeliveries: number
}

/**
 * Deletes conversations with everything that holds their text: messages, feedback, outcomes and
 * tasks (foreign keys cascade), their webhook deliveries (the payload quotes the last message)
 * and their outbox rows, published or not (an unpublished one would carry the text on to
 * ClickHouse after the fact). Call it inside a transaction.
 */
export async function deleteConversations(
  db: Kysely<Database>,
  organizationId: string,
  ids: string[],
): Promise<DeletedConversations> {
  if (ids.length === 0) return { conversations: 0, messages: 0, outboxRows: 0, webhookDeliveries: 0 }
  const messages = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', organizationId)
    .where('conversation_id', 'in', ids)
    .executeTakeFirstOrThrow()
  const outbox = await db
    .deleteFrom('outbox')
    .where('organization_id', '=', organizationId)
    .where(
      'partition_key',
      'in',
      ids.map((id) => `${organizationId}:${id}`),
    )
    .executeTakeFirst()
  const hooks = await db
    .deleteFrom('webhook_deliveries')
    .where('organization_id', '=', organizationId)
    .where(sql<string>`payload->>'conversationId'`, 'in', ids)
    .executeTakeFirst()
  const conversations = await db
    .deleteFrom('conversations')
    .where('organization_id', '=', organizationId)
    .where('id', 'in', ids)
    .executeTakeFirst()
  return {
    conversations: Number(conversations.numDeletedRows),
    messages: Number(messages.n),
    outboxRows: Number(outbox.numDeletedRows),
    webhookDeliveries: Number(hooks.numDeletedRows),
  }
}

/** Contacts untouched since `cutoff` with no conversation left: nothing in them is still needed. */
export async function deleteIdleContacts(
  db: Kysely<Database>,
  organizationId: string,
  cutoff: Date,
): Promise<number> {
  const r = await db
    .deleteFrom('contacts')
    .where('organization_id', '=', organizationId)
    .where('updated_at', '<', cutoff)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('conversations')
            .select(sql`1`.as('one'))
            .whereRef('conversations.contact_id', '=', 'contacts.id'),
        ),
      ),
    )
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}

/**
 * Open knowledge gaps not seen since `cutoff`: their examples are customers' questions. Accepted
 * and rejected gaps stay (an accepted one's answer is the organization's document; a rejected one
 * keeps the same questions from raising the gap again).
 */
export async function deleteStaleOpenGaps(
  db: Kysely<Database>,
  organizationId: string,
  cutoff: Date,
): Promise<number> {
  const r = await db
    .deleteFrom('knowledge_gaps')
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'open')
    .where('last_seen_at', '<', cutoff)
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** Webhook deliveries made before `cutoff` (sent, failed or given up: their payloads quote customers). */
export async function deleteOldWebhookDeliveries(
  db: Kysely<Database>,
  organizationId: string,
  cutoff: Date,
): Promise<number> {
  const r = await db
    .deleteFrom('webhook_deliveries')
    .where('organization_id', '=', organizationId)
    .where('created_at', '<', cutoff)
    .where('status', '<>', 'pending')
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}

/**
 * Deletes published outbox rows published before `before`, at most `limit` per call (a short
 * transaction each: the relay and the API keep writing). Returns how many went.
 */
export async function prunePublishedOutbox(
  db: Kysely<Database>,
  before: Date,
  limit: number,
): Promise<number> {
  const r = await db
    .deleteFrom('outbox')
    .where(
      'seq',
      'in',
      db
        .selectFrom('outbox')
        .select('seq')
        .where('published_at', 'is not', null)
        .where('published_at', '<', before)
        .orderBy('published_at')
        .limit(limit),
    )
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}

import type { Kysely } from 'kysely'
import type {
  Channel,
  Conversation,
  ConversationStatus,
  Database,
  Feedback,
  Message,
  Outcome,
  OutcomeType,
} from '../schema.js'
import { paginate, type Page, type PageRequest } from './page.js'

export async function insertConversation(
  db: Kysely<Database>,
  c: { id: string; organization_id: string; agent_id: string; contact_id: string | null; channel: Channel },
): Promise<Conversation> {
  return db.insertInto('conversations').values(c).returningAll().executeTakeFirstOrThrow()
}

export async function getConversation(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
): Promise<Conversation | undefined> {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** The contact's latest conversation with the agent on a channel that is still going (open or handed off). */
export async function findOngoingConversation(
  db: Kysely<Database>,
  organizationId: string,
  where: { agentId: string; contactId: string; channel: Channel },
): Promise<string | null> {
  const row = await db
    .selectFrom('conversations')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('agent_id', '=', where.agentId)
    .where('contact_id', '=', where.contactId)
    .where('channel', '=', where.channel)
    .where('status', 'in', ['open', 'handed_off'])
    .orderBy('id', 'desc')
    .executeTakeFirst()
  return row?.id ?? null
}

/** A conversation's first messages in order (a transcript; a judge reads at most `limit`). */
export async function transcriptMessages(
  db: Kysely<Database>,
  organizationId: string,
  conversationId: string,
  limit: number,
): Promise<{ role: string; text: string }[]> {
  return db
    .selectFrom('messages')
    .select(['role', 'text'])
    .where('organization_id', '=', organizationId)
    .where('conversation_id', '=', conversationId)
    .orderBy('id')
    .limit(limit)
    .execute()
}

export interface ConversationFilters {
  status?: ConversationStatus | undefined
  channel?: Channel | undefined
  agentId?: string | undefined
  contactId?: string | undefined
  from?: Date | undefined
  to?: Date | undefined
}

export async function listConversations(
  db: Kysely<Database>,
  organizationId: string,
  filters: ConversationFilters,
  page: PageRequest,
): Promise<Page<Conversation>> {
  let q = db.selectFrom('conversations').selectAll().where('organization_id', '=', organizationId)
  if (filters.status) q = q.where('status', '=', filters.status)
  if (filters.channel) q = q.where('channel', '=', filters.channel)
  if (filters.agentId) q = q.where('agent_id', '=', filters.agentId)
  if (filters.contactId) q = q.where('contact_id', '=', filters.contactId)
  if (filters.from) q = q.where('created_at', '>=', filters.from)
  if (filters.to) q = q.where('created_at', '<', filters.to)
  return paginate(q, 'id', page)
}

export async function setConversationStatus(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
  status: ConversationStatus,
): Promise<Conversation | undefined> {
  return db
    .updateTable('conversations')
    .set({ status, updated_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export async function listMessages(
  db: Kysely<Database>,
  organizationId: string,
  conversationId: string,
  limit = 500,
): Promise<Message[]> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('conversation_id', '=', conversationId)
    .orderBy('id', 'asc')
    .limit(limit)
    .execute()
}

export async function insertFeedback(
  db: Kysely<Database>,
  f: {
    id: string
    organization_id: string
    conversation_id: string
    rating: Feedback['rating']
    csat: number | null
    comment: string | null
  },
): Promise<Feedback> {
  return db.insertInto('feedback').values(f).returningAll().executeTakeFirstOrThrow()
}

export async function insertOutcome(
  db: Kysely<Database>,
  o: {
    id: string
    organization_id: string
    conversation_id: string
    type: OutcomeType
    amount: number | null
    currency: string | null
  },
): Promise<Outcome> {
  return db.insertInto('outcomes').values(o).returningAll().executeTakeFirstOrThrow()
}

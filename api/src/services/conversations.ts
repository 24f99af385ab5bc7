import {
  getContact,
  getConversation,
  getOrganization,
  insertFeedback,
  insertOutcome,
  listConversations,
  listMessages,
  newId,
  openConversationRows,
  setConversationStatus,
  type Conversation,
  type ConversationFilters,
  type Db,
  type PageRequest,
} from '@luneo/warehouse'
import { appendToOutbox, buildEvent, outboxRow, type EventContext } from '@luneo/ingest'
import type { z } from 'zod'
import type { Auth, Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { notFound } from '../errors.js'
import { iso, isoOrNull } from '../schemas/common.js'
import type { NewConversation, NewFeedback, NewOutcome } from '../schemas/resources.js'
import { audit, auditRow } from './audit.js'
import { replyDetails } from './transcript.js'

export const toConversationDto = (c: Conversation) => ({
  id: c.id,
  agentId: c.agent_id,
  contactId: c.contact_id,
  channel: c.channel,
  status: c.status,
  messageCount: c.message_count,
  createdAt: iso(c.created_at),
  updatedAt: iso(c.updated_at),
  lastMessageAt: isoOrNull(c.last_message_at),
})

function eventContext(
  caller: Caller,
  c: Pick<Conversation, 'id' | 'contact_id' | 'agent_id'>,
  at?: Date,
): EventContext {
  const { auth } = caller
  return {
    ...(at ? { occurredAt: at } : {}),
    organizationId: auth.organizationId,
    vertical: auth.vertical,
    correlationId: caller.requestId,
    conversationId: c.id,
    contactId: c.contact_id,
    agentId: c.agent_id,
  }
}

/** Opens a conversation (merging the contact profile) and emits conversation.started, in one transaction. */
export async function openConversation(
  deps: AppDeps,
  caller: Caller,
  body: z.infer<typeof NewConversation>,
  /** When it happened (the demo seeder replays history); now by default. */
  at?: Date,
) {
  const { auth } = caller
  const contact = body.contact && Object.keys(body.contact).length > 0 ? body.contact : null
  const id = newId()
  // The event's contactId is filled in by the statement (the contact it found or inserted).
  const event = buildEvent(
    'conversation.started',
    eventContext(caller, { id, contact_id: null, agent_id: body.agentId }, at),
    { channel: body.channel, hasContact: contact !== null },
  )
  // A failure before the write leaves nothing: the atomicity test's seam.
  deps.faultPoint?.('conversation.before_write')
  // One statement, so one transaction without BEGIN/COMMIT (two round trips fewer): agent check,
  // contact merge, conversation, outbox event and audit row are written together or not at all
  // (openConversationRows' test fails its last insert and finds none of the others).
  const c = await openConversationRows(deps.db, {
    id,
    organization_id: auth.organizationId,
    agent_id: body.agentId,
    channel: body.channel,
    ...(at ? { created_at: at } : {}),
    contact: contact ? { newId: newId(), input: contact } : null,
    event: outboxRow(event),
    audit: auditRow(caller, 'conversation.created', { type: 'conversation', id }),
  })
  if (!c) throw notFound('Agent')
  const result = toConversationDto(c)
  deps.onEventsCommitted?.()
  return result
}

export async function listOrgConversations(
  deps: AppDeps,
  auth: Auth,
  filters: ConversationFilters,
  page: PageRequest,
) {
  const p = await listConversations(deps.db, auth.organizationId, filters, page)
  return { nextCursor: p.nextCursor, items: p.items.map(toConversationDto) }
}

export async function readConversation(deps: AppDeps, auth: Auth, id: string) {
  const c = await getConversation(deps.db, auth.organizationId, id)
  if (!c) throw notFound('Conversation')
  const [contact, messages] = await Promise.all([
    c.contact_id ? getContact(deps.db, auth.organizationId, c.contact_id) : undefined,
    listMessages(deps.db, auth.organizationId, id),
  ])
  const replies = await replyDetails(deps.db, auth.organizationId, messages)
  return {
    ...toConversationDto(c),
    contact: contact
      ? { id: contact.id, email: contact.email, phone: contact.phone, name: contact.name }
      : null,
    messages: messages.map((m, i) => ({
      id: m.id,
      role: m.role,
      text: m.text,
      createdAt: iso(m.created_at),
      reply: replies[i] ?? null,
    })),
  }
}

async function requireConversation(trx: Db, auth: Auth, id: string): Promise<Conversation> {
  const c = await getConversation(trx, auth.organizationId, id)
  if (!c) throw notFound('Conversation')
  return c
}

export async function addFeedback(
  deps: AppDeps,
  caller: Caller,
  id: string,
  body: z.infer<typeof NewFeedback>,
  at?: Date,
) {
  const { auth } = caller
  const result = await deps.db.transaction().execute(async (trx) => {
    const c = await requireConversation(trx, auth, id)
    const f = await insertFeedback(trx, {
      id: newId(),
      organization_id: auth.organizationId,
      conversation_id: id,
      rating: body.rating,
      csat: body.csat ?? null,
      comment: body.comment ?? null,
    })
    deps.faultPoint?.('feedback.before_outbox')
    // The free-text comment stays in Postgres: events carry no raw customer text.
    await appendToOutbox(trx, [
      buildEvent('feedback.submitted', eventContext(caller, c, at), {
        feedbackId: f.id,
        rating: f.rating,
        csat: f.csat,
      }),
    ])
    await audit(trx, caller, 'feedback.created', { type: 'feedback', id: f.id })
    return {
      id: f.id,
      conversationId: id,
      rating: f.rating,
      csat: f.csat,
      comment: f.comment,
      createdAt: iso(f.created_at),
    }
  })
  deps.onEventsCommitted?.()
  return result
}

const STATUS_AFTER = { resolved: 'resolved', handoff: 'handed_off' } as const

export async function recordOutcome(
  deps: AppDeps,
  caller: Caller,
  id: string,
  body: z.infer<typeof NewOutcome>,
  at?: Date,
) {
  const { auth } = caller
  const result = await deps.db.transaction().execute(async (trx) => {
    const c = await requireConversation(trx, auth, id)
    const org = await getOrganization(trx, auth.organizationId)
    const amount = body.amount ?? null
    const currency = amount === null ? null : (body.currency ?? org?.currency ?? 'USD')
    const o = await insertOutcome(trx, {
      id: newId(),
      organization_id: auth.organizationId,
      conversation_id: id,
      type: body.type,
      amount,
      currency,
    })
    const status = body.type === 'resolved' || body.type === 'handoff' ? STATUS_AFTER[body.type] : undefined
    if (status) await setConversationStatus(trx, auth.organizationId, id, status)
    deps.faultPoint?.('outcome.before_outbox')
    await appendToOutbox(trx, [
      buildEvent('outcome.recorded', eventContext(caller, c, at), {
        outcomeId: o.id,
        type: o.type,
        amount,
        currency,
      }),
    ])
    await audit(trx, caller, 'outcome.recorded', { type: 'outcome', id: o.id }, { type: o.type })
    return {
      id: o.id,
      conversationId: id,
      type: o.type,
      amount: o.amount,
      currency: o.currency,
      createdAt: iso(o.created_at),
    }
  })
  deps.onEventsCommitted?.()
  return result
}

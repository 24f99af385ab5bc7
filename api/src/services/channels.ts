import { appendToOutbox, buildEvent } from '@luneo/ingest'
import { findOngoingConversation, getAgent, insertConversation, newId, upsertContact } from '@luneo/warehouse'
import type { z } from 'zod'
import type { Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { notFound } from '../errors.js'
import { fromEmail } from '../orchestrator/normalize.js'
import type { EngineReply } from '../orchestrator/types.js'
import type { EmailInbound } from '../schemas/engine.js'
import { audit } from './audit.js'

/**
 * Email-in: the thread continues the contact's latest ongoing email conversation with the agent,
 * or starts one (with its conversation.started event and audit row); then the engine answers.
 */
export async function receiveEmail(
  deps: AppDeps,
  caller: Caller,
  body: z.infer<typeof EmailInbound>,
): Promise<EngineReply> {
  const { auth } = caller
  const inbound = fromEmail(body)
  const conversationId = await deps.db.transaction().execute(async (trx) => {
    const agent = await getAgent(trx, auth.organizationId, body.agentId)
    if (!agent) throw notFound('Agent')
    const contact = await upsertContact(trx, auth.organizationId, newId(), inbound.contact ?? {})
    const where = { agentId: agent.id, contactId: contact.id, channel: 'email' as const }
    const ongoing = await findOngoingConversation(trx, auth.organizationId, where)
    if (ongoing) return ongoing
    const c = await insertConversation(trx, {
      id: newId(),
      organization_id: auth.organizationId,
      agent_id: agent.id,
      contact_id: contact.id,
      channel: 'email',
    })
    const ctx = {
      organizationId: auth.organizationId,
      vertical: auth.vertical,
      correlationId: caller.requestId,
      conversationId: c.id,
      contactId: contact.id,
      agentId: agent.id,
    }
    await appendToOutbox(trx, [
      buildEvent('conversation.started', ctx, { channel: 'email', hasContact: true }),
    ])
    await audit(trx, caller, 'conversation.created', { type: 'conversation', id: c.id }, { channel: 'email' })
    return c.id
  })
  return deps.ai.engine.respond(caller, conversationId, inbound)
}

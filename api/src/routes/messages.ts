import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { newId, upsertContact, insertConversation } from '@luneo/warehouse'
import { appendToOutbox, buildEvent } from '@luneo/ingest'
import type { AppDeps } from '../context.js'
import { notFound } from '../errors.js'
import { authOf } from '../plugins/auth.js'
import { IdParams } from '../schemas/common.js'
import { EmailInbound, NewMessage, Reply } from '../schemas/engine.js'
import { fromApi, fromEmail } from '../orchestrator/normalize.js'
import { audit } from '../services/audit.js'

const write = { role: 'analyst', scopes: ['conversations:write'] } as const

export const messageRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/conversations/:id/messages',
    {
      schema: { tags: ['conversations'], params: IdParams, body: NewMessage, response: { 201: Reply } },
      config: { access: write },
    },
    async (req, reply) => {
      // The engine loads (and 404s) the conversation itself: one read, not two.
      const result = await deps.ai.engine.respond(authOf(req), req, req.params.id, fromApi(req.body))
      return reply.code(201).send(result)
    },
  )

  // Email-in: the tenant's mail provider (or a forwarding script) posts each inbound email here.
  // The thread continues the contact's latest open email conversation with the agent, or starts one.
  app.post(
    '/channels/email/inbound',
    {
      schema: { tags: ['channels'], body: EmailInbound, response: { 201: Reply } },
      config: { access: write },
    },
    async (req, reply) => {
      const auth = authOf(req)
      const inbound = fromEmail(req.body)
      const conversationId = await deps.db.transaction().execute(async (trx) => {
        const agent = await trx
          .selectFrom('agents')
          .select('id')
          .where('organization_id', '=', auth.organizationId)
          .where('id', '=', req.body.agentId)
          .executeTakeFirst()
        if (!agent) throw notFound('Agent')
        const contact = await upsertContact(trx, auth.organizationId, newId(), inbound.contact ?? {})
        const open = await trx
          .selectFrom('conversations')
          .select('id')
          .where('organization_id', '=', auth.organizationId)
          .where('agent_id', '=', agent.id)
          .where('contact_id', '=', contact.id)
          .where('channel', '=', 'email')
          .where('status', 'in', ['open', 'handed_off'])
          .orderBy('id', 'desc')
          .executeTakeFirst()
        if (open) return open.id
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
          correlationId: req.id,
          conversationId: c.id,
          contactId: contact.id,
          agentId: agent.id,
        }
        await appendToOutbox(trx, [
          buildEvent('conversation.started', ctx, { channel: 'email', hasContact: true }),
        ])
        await audit(
          trx,
          req,
          auth,
          'conversation.created',
          { type: 'conversation', id: c.id },
          { channel: 'email' },
        )
        return c.id
      })
      return reply.code(201).send(await deps.ai.engine.respond(auth, req, conversationId, inbound))
    },
  )
}

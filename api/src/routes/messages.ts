import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppDeps } from '../context.js'
import { callerOf } from '../plugins/auth.js'
import { IdParams } from '../schemas/common.js'
import { EmailInbound, NewMessage, Reply } from '../schemas/engine.js'
import { fromApi } from '../orchestrator/normalize.js'
import { receiveEmail } from '../services/channels.js'

const write = { role: 'analyst', scopes: ['conversations:write'] } as const

export const messageRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/conversations/:id/messages',
    {
      schema: {
        operationId: 'sendMessage',
        tags: ['conversations'],
        params: IdParams,
        body: NewMessage,
        response: { 201: Reply },
      },
      config: { access: write, problems: ['compliance_required'] },
    },
    // The engine loads (and 404s) the conversation itself: one read, not two.
    async (req, reply) =>
      reply.code(201).send(await deps.ai.engine.respond(callerOf(req), req.params.id, fromApi(req.body))),
  )

  // Email-in: the tenant's mail provider (or a forwarding script) posts each inbound email here.
  app.post(
    '/channels/email/inbound',
    {
      schema: {
        operationId: 'receiveEmail',
        tags: ['channels'],
        body: EmailInbound,
        response: { 201: Reply },
      },
      config: { access: write, problems: ['not_found', 'compliance_required'] },
    },
    async (req, reply) => reply.code(201).send(await receiveEmail(deps, callerOf(req), req.body)),
  )
}

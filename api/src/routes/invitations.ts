import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppDeps } from '../context.js'
import { authOf, callerOf } from '../plugins/auth.js'
import { IdParams, PageQuery } from '../schemas/common.js'
import { InvitationPage, InvitationSent } from '../schemas/invitations.js'
import * as invitations from '../services/invitations.js'

const admin = { role: 'admin', scopes: ['admin'] } as const
const tags = ['members']

export const invitationRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/invitations',
    {
      schema: {
        operationId: 'listInvitations',
        tags,
        querystring: PageQuery,
        response: { 200: InvitationPage },
      },
      config: { access: admin },
    },
    async (req) => invitations.listInvitations(deps, authOf(req), req.query),
  )
  app.post(
    '/invitations/:id/resend',
    {
      schema: {
        operationId: 'resendInvitation',
        tags,
        params: IdParams,
        response: { 200: InvitationSent },
      },
      config: {
        access: admin,
        problems: ['not_found'],
        // Each call mails the invitee: a few an hour per invitation, so it cannot be used to spam.
        rateLimit: {
          max: deps.config.email.resendLimitPerHour,
          timeWindow: '1 hour',
          keyGenerator: (req) => `invite-mail:${(req.params as { id?: string }).id ?? ''}`,
        },
      },
    },
    async (req) => invitations.resendInvitation(deps, callerOf(req), req.params.id),
  )
  app.delete(
    '/invitations/:id',
    {
      schema: { operationId: 'cancelInvitation', tags, params: IdParams, response: { 204: z.null() } },
      config: { access: admin, problems: ['not_found'] },
    },
    async (req, reply) => {
      await invitations.cancelInvitation(deps, callerOf(req), req.params.id)
      return reply.code(204).send(null)
    },
  )
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppDeps } from '../context.js'
import { authOf, callerOf } from '../plugins/auth.js'
import { IdParams } from '../schemas/common.js'
import { ErasureByEmail, ErasureRequest, RetentionPolicy, RetentionSettings } from '../schemas/privacy.js'
import { readErasure, requestErasure, requestErasureByEmail } from '../privacy/erasure.js'
import { readRetention, updateRetention } from '../privacy/retention.js'

/** Retention policy and erasure requests (docs/adr/0022). */
export const privacyRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/organization/retention',
    {
      schema: { operationId: 'getRetention', tags: ['privacy'], response: { 200: RetentionSettings } },
      config: { access: { role: 'viewer', scopes: ['analytics:read'] } },
    },
    async (req) => readRetention(deps, authOf(req)),
  )
  app.put(
    '/organization/retention',
    {
      schema: {
        operationId: 'updateRetention',
        tags: ['privacy'],
        body: RetentionPolicy,
        response: { 200: RetentionSettings },
      },
      config: { access: { role: 'admin', scopes: ['admin'] } },
    },
    async (req) => updateRetention(deps, callerOf(req), req.body),
  )
  app.post(
    '/contacts/:id/erasure',
    {
      schema: {
        operationId: 'requestErasure',
        tags: ['privacy'],
        params: IdParams,
        response: { 202: ErasureRequest },
      },
      config: { access: { role: 'admin', scopes: ['admin'] } },
    },
    async (req, reply) => reply.code(202).send(await requestErasure(deps, callerOf(req), req.params.id)),
  )
  app.post(
    '/contacts/erasure',
    {
      schema: {
        operationId: 'requestErasureByEmail',
        tags: ['privacy'],
        body: ErasureByEmail,
        response: { 202: ErasureRequest },
      },
      // An address that no contact of the organization has: 404, nothing to erase.
      config: { access: { role: 'admin', scopes: ['admin'] }, problems: ['not_found'] },
    },
    async (req, reply) =>
      reply.code(202).send(await requestErasureByEmail(deps, callerOf(req), req.body.email)),
  )
  app.get(
    '/erasure-requests/:id',
    {
      schema: {
        operationId: 'getErasureRequest',
        tags: ['privacy'],
        params: IdParams,
        response: { 200: ErasureRequest },
      },
      config: { access: { role: 'admin', scopes: ['admin'] } },
    },
    async (req) => readErasure(deps, authOf(req), req.params.id),
  )
}

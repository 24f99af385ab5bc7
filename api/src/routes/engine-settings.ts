import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppDeps } from '../context.js'
import { authOf, callerOf } from '../plugins/auth.js'
import { PageQuery } from '../schemas/common.js'
import {
  IntentCorrection,
  IntentCorrectionDto,
  TaskPage,
  Webhook,
  WebhookSettings,
  WebhookSettingsOut,
} from '../schemas/engine.js'
import * as s from '../services/engine-settings.js'

const admin = { role: 'admin', scopes: ['admin'] } as const

export const engineSettingsRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/intent-corrections',
    {
      schema: {
        operationId: 'createIntentCorrection',
        tags: ['engine'],
        body: IntentCorrection,
        response: { 201: IntentCorrectionDto },
      },
      config: { access: { role: 'analyst', scopes: ['admin'] } },
    },
    async (req, reply) => reply.code(201).send(await s.addIntentCorrection(deps, callerOf(req), req.body)),
  )
  app.get(
    '/tasks',
    {
      schema: {
        operationId: 'listTasks',
        tags: ['engine'],
        querystring: PageQuery,
        response: { 200: TaskPage },
      },
      config: { access: { role: 'viewer', scopes: ['conversations:write', 'analytics:read'] } },
    },
    async (req) => s.listOrgTasks(deps, authOf(req), req.query),
  )
  app.get(
    '/organization/webhook',
    {
      schema: {
        operationId: 'getWebhook',
        tags: ['organization'],
        response: { 200: Webhook },
      },
      config: { access: admin },
    },
    async (req) => s.readWebhook(deps, authOf(req)),
  )
  app.put(
    '/organization/webhook',
    {
      schema: {
        operationId: 'setWebhook',
        tags: ['organization'],
        body: WebhookSettings,
        response: { 200: WebhookSettingsOut },
      },
      config: { access: admin },
    },
    async (req) => s.putWebhook(deps, callerOf(req), req.body),
  )
}

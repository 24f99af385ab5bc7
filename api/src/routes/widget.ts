import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppDeps } from '../context.js'
import { AppError } from '../errors.js'
import { authOf, callerOf } from '../plugins/auth.js'
import { fromApi } from '../orchestrator/normalize.js'
import { IdParams, PageQuery } from '../schemas/common.js'
import { openConversation } from '../services/conversations.js'
import {
  NewWidgetConversation,
  NewWidgetKey,
  WidgetConversation,
  WidgetKeyDto,
  WidgetKeyPage,
  WidgetKeyPatch,
  WidgetMessage,
  WidgetReply,
} from '../widget/schemas.js'
import {
  WIDGET_TOKEN_HEADER,
  allowOrigin,
  answerPreflight,
  resolveWidgetCaller,
  widgetClientRateKey,
  widgetRateKey,
  type WidgetCaller,
} from '../widget/widget-access.js'
import * as keys from '../widget/widget-keys.js'
import { WIDGET_SCRIPT } from '../widget/widget-script.js'
import { checkSpendCap, recordSpend, spendCapReached } from '../widget/widget-spend.js'
import { signWidgetToken, verifyWidgetToken } from '../widget/widget-token.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** @fastify/cors reads this: `false` leaves the route's CORS to the route. */
    cors?: boolean
  }
  interface FastifyRequest {
    /** Set on /widget/v1 routes once the key and Origin check out. */
    widget: WidgetCaller | null
  }
}

const admin = { role: 'admin', scopes: ['admin'] } as const

/** Admin side, under /api/v1: the organization's widget keys. */
export const widgetKeyRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/widget-keys',
    {
      schema: {
        operationId: 'createWidgetKey',
        tags: ['widget'],
        body: NewWidgetKey,
        response: { 201: WidgetKeyDto },
      },
      config: { access: admin, problems: ['not_found'] },
    },
    async (req, reply) => reply.code(201).send(await keys.createWidgetKey(deps, callerOf(req), req.body)),
  )
  app.patch(
    '/widget-keys/:id',
    {
      schema: {
        operationId: 'updateWidgetKey',
        tags: ['widget'],
        params: IdParams,
        body: WidgetKeyPatch,
        response: { 200: WidgetKeyDto },
      },
      config: { access: admin, problems: ['not_found'] },
    },
    async (req) => keys.patchWidgetKey(deps, callerOf(req), req.params.id, req.body),
  )
  app.get(
    '/widget-keys',
    {
      schema: {
        operationId: 'listWidgetKeys',
        tags: ['widget'],
        querystring: PageQuery,
        response: { 200: WidgetKeyPage },
      },
      config: { access: admin },
    },
    async (req) => keys.listOrgWidgetKeys(deps, authOf(req), req.query),
  )
  app.get(
    '/widget-keys/:id',
    {
      schema: {
        operationId: 'getWidgetKey',
        tags: ['widget'],
        params: IdParams,
        response: { 200: WidgetKeyDto },
      },
      config: { access: admin },
    },
    async (req) => keys.getWidgetKey(deps, authOf(req), req.params.id),
  )
  app.delete(
    '/widget-keys/:id',
    {
      schema: {
        operationId: 'revokeWidgetKey',
        tags: ['widget'],
        params: IdParams,
        response: { 204: z.null() },
      },
      config: { access: admin },
    },
    async (req, reply) => {
      await keys.deleteWidgetKey(deps, callerOf(req), req.params.id)
      return reply.code(204).send(null)
    },
  )
}

/**
 * Public side: the script and the visitor endpoints. They handle their own CORS (`cors: false`
 * turns the global allow-list off for them) and their own Origin check (`originCheck: 'route'`),
 * because each widget key has its own allowed origins.
 */
export const widgetRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get('/widget.js', { schema: { hide: true }, config: { access: 'public' } }, async (_req, reply) =>
    reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(WIDGET_SCRIPT),
  )
  app.options(
    '/widget/*',
    { schema: { hide: true }, config: { access: 'public', cors: false } },
    async (req, reply) => answerPreflight(deps.db, req, reply),
  )
  await app.register(visitorRoutes, { ...deps, prefix: '/widget/v1' })
}

/** POST /widget/v1/…: a visitor opens a conversation, then talks in it with its token. */
const visitorRoutes: FastifyPluginAsyncZod<AppDeps> = async (v1, deps) => {
  v1.decorateRequest('widget', null)
  // After the per-key rate limit (onRequest), before the body is read.
  v1.addHook('preParsing', async (req, reply, payload) => {
    req.widget = await resolveWidgetCaller(deps.db, req)
    allowOrigin(reply, req.widget.origin)
    return payload
  })
  // The key's bucket (config.rateLimit, below) bounds a site; this one bounds one client in it.
  const clientLimit = v1.createRateLimit({
    max: deps.config.widgetClientRateLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: widgetClientRateKey,
  })
  const perClient = async (req: FastifyRequest, reply: FastifyReply) => {
    const r = await clientLimit(req)
    if (!r.isAllowed && r.isExceeded) {
      void reply.header('retry-after', String(Math.ceil(r.ttl / 1000)))
      throw new AppError('rate_limited', 'Too many messages from this visitor; wait a minute')
    }
  }
  const config = {
    access: 'public',
    cors: false,
    originCheck: 'route',
    rateLimit: {
      max: deps.config.widgetRateLimitPerMinute,
      timeWindow: '1 minute',
      keyGenerator: widgetRateKey,
    },
  } as const
  v1.post(
    '/conversations',
    {
      schema: {
        operationId: 'openWidgetConversation',
        tags: ['widget'],
        body: NewWidgetConversation,
        response: { 201: WidgetConversation },
      },
      config: { ...config, problems: ['unauthenticated', 'not_found'] },
      preHandler: perClient,
    },
    async (req, reply) => {
      const visitor = widgetOf(req)
      const caller = { auth: visitor.auth, requestId: req.id, log: req.log }
      const c = await openConversation(deps, caller, { agentId: visitor.agentId, channel: 'widget' })
      const token = signWidgetToken(deps.secret, visitor.keyId, c.id)
      return reply.code(201).send({ conversationId: c.id, token })
    },
  )
  v1.post(
    '/conversations/:id/messages',
    {
      schema: {
        operationId: 'sendWidgetMessage',
        tags: ['widget'],
        params: IdParams,
        body: WidgetMessage,
        response: { 201: WidgetReply },
      },
      config: { ...config, problems: ['unauthenticated', 'compliance_required'] },
      preHandler: perClient,
    },
    async (req, reply) => {
      const visitor = widgetOf(req)
      const token = req.headers[WIDGET_TOKEN_HEADER]
      if (typeof token !== 'string' || !verifyWidgetToken(deps.secret, visitor.keyId, req.params.id, token))
        throw new AppError(
          'unauthenticated',
          `${WIDGET_TOKEN_HEADER} is missing, expired or for another conversation`,
        )
      // Before the model is called: a key past its daily cap costs nothing more.
      const wait = await checkSpendCap(deps.db, visitor, Date.now())
      if (wait !== null) {
        void reply.header('retry-after', String(wait))
        throw spendCapReached(visitor.dailySpendCapUsd!)
      }
      const caller = { auth: visitor.auth, requestId: req.id, log: req.log }
      // The spend commits with the turn (one transaction): a committed turn cannot miss its cost in
      // the ledger, and a ledger row never counts a turn that was rolled back.
      const r = await deps.ai.engine.respond(
        caller,
        req.params.id,
        fromApi(req.body, 'widget'),
        async (trx, turn) => {
          if (turn.usage.costUsd > 0) await recordSpend(trx, visitor, turn.usage.costUsd, Date.now())
        },
      )
      return reply.code(201).send({
        conversationId: r.conversationId,
        replyId: r.replyId,
        reply: r.reply,
        grounded: r.grounded,
        escalated: r.escalated,
        sources: r.sources.map((s) => ({ title: s.title })),
      })
    },
  )
}

function widgetOf(req: FastifyRequest): WidgetCaller {
  if (!req.widget) throw new AppError('unauthenticated')
  return req.widget
}

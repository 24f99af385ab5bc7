import cookie from '@fastify/cookie'
import cors from '@fastify/cors'
import multipart from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import { openRedis } from './wiring/redis.js'
import Fastify, { type FastifyInstance } from 'fastify'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import { newId } from '@luneo/warehouse'
import type { AppDeps } from './context.js'
import { AppError } from './errors.js'
import { KeyCache } from './auth/key-cache.js'
import { apiLoggerOptions } from './logging.js'
import { authPlugin } from './plugins/auth.js'
import { errorsPlugin, sendFrameworkError } from './plugins/errors.js'
import { metricsPlugin } from './plugins/metrics.js'
import { openApiPlugin } from './plugins/openapi.js'
import { accessRoutes } from './routes/access.js'
import { agentRoutes } from './routes/agents.js'
import { analyticsRoutes } from './routes/analytics.js'
import { authRoutes } from './routes/auth.js'
import { benchmarkRoutes } from './routes/benchmarks.js'
import { conversationRoutes } from './routes/conversations.js'
import { emailVerificationRoutes } from './routes/email-verification.js'
import { engineSettingsRoutes } from './routes/engine-settings.js'
import { experimentRoutes } from './routes/experiments.js'
import { gapRoutes } from './routes/gaps.js'
import { messageRoutes } from './routes/messages.js'
import { healthRoutes } from './routes/health.js'
import { invitationRoutes } from './routes/invitations.js'
import { knowledgeRoutes } from './routes/knowledge.js'
import { onboardingRoutes } from './routes/onboarding.js'
import { operatorRoutes } from './routes/operator.js'
import { organizationRoutes } from './routes/organization.js'
import { ssoRoutes } from './routes/sso.js'
import { privacyRoutes } from './routes/privacy.js'
import { widgetKeyRoutes, widgetRoutes } from './routes/widget.js'

/** Builds the API: external plugins, then our plugins, then route plugins. Listening is the caller's job. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  deps.keyCache ??= new KeyCache()
  const app = Fastify({
    logger: deps.config.logLevel === 'silent' ? false : apiLoggerOptions(deps.config.logLevel),
    bodyLimit: deps.config.bodyLimit,
    // The request id doubles as the correlation id carried into every event the request writes.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : newId()
    },
    // Behind an ingress, req.ip is the client's only when the proxy is trusted (LUNEO_TRUST_PROXY).
    trustProxy:
      typeof deps.config.trustProxy === 'number'
        ? (
            (hops) => (_addr: string, i: number) =>
              i < hops
          )(deps.config.trustProxy)
        : deps.config.trustProxy,
    return503OnClosing: true,
    frameworkErrors: sendFrameworkError,
  }).withTypeProvider<ZodTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id)
  })

  await app.register(errorsPlugin)
  await app.register(cookie)
  await app.register(multipart, { limits: { fileSize: 1_000_000, files: 1 } })
  await app.register(cors, { origin: deps.config.corsOrigins, credentials: true })
  await app.register(openApiPlugin)
  await app.register(authPlugin, deps)
  // Every limit (global, per route, per account) in Redis when REDIS_URL is set: replicas share one
  // count. If Redis is unreachable the limits let requests through (logged): an outage of the
  // limiter's store must not become an outage of the API.
  const redis = deps.config.redisUrl ? openRedis(deps.config.redisUrl) : null
  if (redis) app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())))
  await app.register(rateLimit, {
    ...(redis ? { redis, nameSpace: 'luneo-rl:', skipOnError: true } : {}),
    global: true,
    max: deps.config.rateLimitPerMinute,
    timeWindow: '1 minute',
    // Per organization when we know it, so one tenant's flood never throttles another.
    keyGenerator: (req) => (req.auth ? `org:${req.auth.organizationId}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, ctx) =>
      new AppError('rate_limited', `Limit of ${ctx.max} requests per ${ctx.after} reached`),
  })
  await app.register(metricsPlugin, deps)
  await app.register(healthRoutes, deps)
  await app.register(operatorRoutes, deps)
  await app.register(
    async (v1) => {
      v1.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
        app.swagger(),
      )
      await v1.register(authRoutes, deps)
      await v1.register(emailVerificationRoutes, deps)
      await v1.register(accessRoutes, deps)
      await v1.register(invitationRoutes, deps)
      await v1.register(organizationRoutes, deps)
      await v1.register(ssoRoutes, deps)
      await v1.register(privacyRoutes, deps)
      await v1.register(onboardingRoutes, deps)
      await v1.register(agentRoutes, deps)
      await v1.register(knowledgeRoutes, deps)
      await v1.register(conversationRoutes, deps)
      await v1.register(messageRoutes, deps)
      await v1.register(experimentRoutes, deps)
      await v1.register(engineSettingsRoutes, deps)
      await v1.register(analyticsRoutes, deps)
      await v1.register(gapRoutes, deps)
      await v1.register(benchmarkRoutes, deps)
      await v1.register(widgetKeyRoutes, deps)
    },
    { prefix: '/api/v1' },
  )
  await app.register(widgetRoutes, deps)
  return app
}

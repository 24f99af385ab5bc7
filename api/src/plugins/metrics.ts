import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { AppDeps } from '../context.js'

/** Prometheus metrics on a registry owned by this app instance (no global registry: tests build many apps). */
export const metricsPlugin = fp(async (app: FastifyInstance, deps: AppDeps) => {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Request latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  new Gauge({
    name: 'luneo_outbox_backlog',
    help: 'Outbox rows not yet published',
    registers: [registry],
    async collect() {
      if (deps.outboxBacklog) this.set(await deps.outboxBacklog())
    },
  })
  // The embed calls' cost per purpose (query and answer inside a turn, index outside): the bench
  // reads these after the demo seed, whose 1,800 conversations go through the real engine.
  const purposes = ['query', 'answer', 'index'] as const
  new Gauge({
    name: 'luneo_embed_ms',
    help: 'Embed call latency over the recent calls (p50, p95), per purpose',
    labelNames: ['purpose', 'quantile'],
    registers: [registry],
    collect() {
      for (const purpose of purposes) {
        const s = deps.ai.embedTimings?.stats(purpose)
        if (!s) continue
        this.set({ purpose, quantile: '0.5' }, s.p50Ms)
        this.set({ purpose, quantile: '0.95' }, s.p95Ms)
      }
    },
  })
  const totals = [
    ['calls', 'Embed calls'],
    ['texts', 'Texts embedded'],
    ['ms', 'Milliseconds spent embedding'],
  ] as const
  for (const [field, help] of totals)
    new Gauge({
      name: `luneo_embed_${field}_total`,
      help: `${help}, per purpose, since start`,
      labelNames: ['purpose'],
      registers: [registry],
      collect() {
        for (const purpose of purposes) {
          const s = deps.ai.embedTimings?.stats(purpose)
          if (s) this.set({ purpose }, s[field])
        }
      },
    })
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched'
    latency.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000)
  })
  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  )
})

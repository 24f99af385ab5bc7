import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { sql } from 'kysely'
import { pingClickHouse } from '@luneo/warehouse'
import type { AppDeps } from '../context.js'
import { AppError } from '../errors.js'
import { Health, Ready } from '../schemas/health.js'

export const healthRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['health'],
        response: { 200: Health },
      },
      config: { access: 'public' },
    },
    async () => ({
      status: 'ok' as const,
    }),
  )
  app.get(
    '/readyz',
    {
      schema: { operationId: 'getReadiness', tags: ['health'], response: { 200: Ready } },
      config: { access: 'public', problems: ['unavailable'] },
    },
    async (req) => {
      try {
        await sql`SELECT 1`.execute(deps.db)
        await pingClickHouse(deps.ch)
      } catch (err) {
        req.log.warn({ err }, 'readiness check failed')
        throw new AppError('unavailable')
      }
      return { status: 'ready' as const, postgres: deps.stores.postgres, clickhouse: deps.stores.clickhouse }
    },
  )
}

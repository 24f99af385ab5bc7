import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { sql } from 'kysely'
import { pingClickHouse } from '@luneo/warehouse'
import { z } from 'zod'
import type { AppDeps } from '../context.js'
import { AppError } from '../errors.js'

const Ready = z.object({ status: z.literal('ready'), postgres: z.string(), clickhouse: z.string() })

export const healthRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/healthz',
    {
      schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } },
      config: { access: 'public' },
    },
    async () => ({
      status: 'ok' as const,
    }),
  )
  app.get(
    '/readyz',
    { schema: { tags: ['health'], response: { 200: Ready } }, config: { access: 'public' } },
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

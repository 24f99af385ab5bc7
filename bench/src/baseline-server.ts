// The yardstick: a bare Fastify route doing one Postgres INSERT, in its own process.
//   BENCH_VARIANT=bare       no schema, no logger (what §8 calls "a bare Fastify route")
//   BENCH_VARIANT=validated  the same route with a zod body + response schema (as the API
//                            declares them) and info-level request logging to /dev/null through
//                            the API's own logger (@luneo/api/logging)
//   BENCH_VARIANT=zod|logged one of the two alone, to split the overhead (not part of `make bench`)
// Env: DATABASE_URL (required), HOST, PORT.
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import pg from 'pg'
import { apiLoggerOptions } from '@luneo/api/logging'
import { z } from 'zod'

// The shape of the API's NewConversation / Conversation, so the zod work per request matches.
const Body = z
  .object({
    agentId: z.uuid(),
    channel: z.enum(['api', 'widget', 'email']),
    contact: z
      .object({ email: z.email().max(254).optional(), name: z.string().max(120).trim().min(1).optional() })
      .strict()
      .optional(),
  })
  .strict()
const Row = z.object({
  id: z.uuid(),
  agentId: z.uuid(),
  channel: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
})
type BodyT = z.infer<typeof Body>

const INSERT =
  'INSERT INTO bench_baseline (id, agent_id, channel, contact) VALUES ($1, $2, $3, $4) RETURNING id, agent_id, channel, created_at'

async function insert(pool: pg.Pool, b: BodyT) {
  const { rows } = await pool.query<{ id: string; agent_id: string; channel: string; created_at: Date }>(
    INSERT,
    [randomUUID(), b.agentId, b.channel, b.contact ?? null],
  )
  const r = rows[0]!
  return { id: r.id, agentId: r.agent_id, channel: r.channel, createdAt: r.created_at.toISOString() }
}

function build(pool: pg.Pool, variant: string): FastifyInstance {
  const validate = variant === 'validated' || variant === 'zod'
  const log = variant === 'validated' || variant === 'logged'
  const app = Fastify({
    logger: log ? apiLoggerOptions('info', '/dev/null') : false,
  }).withTypeProvider<ZodTypeProvider>()
  if (!validate) {
    app.post('/baseline', async (req, reply) => reply.code(201).send(await insert(pool, req.body as BodyT)))
    return app
  }
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.post('/baseline', { schema: { body: Body, response: { 201: Row } } }, async (req, reply) =>
    reply.code(201).send(await insert(pool, req.body)),
  )
  return app
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('DATABASE_URL is required')
  // 20: the API's default pool size (warehouse openPostgres), so both sides get the same concurrency.
  const pool = new pg.Pool({ connectionString: url, max: 20 })
  // Idempotent, and only one baseline server runs at a time, so no two CREATEs race.
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_baseline (id uuid PRIMARY KEY, agent_id uuid NOT NULL, channel text NOT NULL, contact jsonb, created_at timestamptz NOT NULL DEFAULT now())',
  )
  const app = build(pool, process.env.BENCH_VARIANT ?? 'bare')
  app.get('/healthz', async () => ({ ok: true }))
  const stop = async () => {
    await app.close()
    await pool.end()
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop())
  process.on('SIGINT', () => void stop())
  await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) })
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})

// `luneo bench generate --events N [--seed S] [--organizations 200] [--until ISO] [--no-pipelines]
// [--summary FILE]`: writes a generated data set into the stores the API would open with the same
// environment (LUNEO_DATA_DIR for embedded PGlite + chDB; DATABASE_URL and CLICKHOUSE_URL for servers).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { hashPassword } from '@luneo/api'
import {
  hasOrganizations,
  martMigrations,
  migrateClickHouse,
  migratePostgres,
  openClickHouse,
  openPostgres,
} from '@luneo/warehouse'
import { z } from 'zod'
import { generateDataSet } from './generate.js'

export const BENCH_OWNER_PASSWORD = 'luneo-bench-password'

const usage = `usage: luneo bench generate --events N [--seed S] [--organizations N] [--until ISO-TIME] [--no-pipelines] [--summary FILE]
  into LUNEO_DATA_DIR (embedded, default .luneo) or DATABASE_URL + CLICKHOUSE_URL; owners sign in as
  owner-001@bench.luneo.dev … with the password ${BENCH_OWNER_PASSWORD}`

// 10000000, 10_000_000, 10M and 1.5k all mean what they say.
const count = z
  .string()
  .regex(/^\d[\d_]*(\.\d+)?[kKmM]?$/, 'a count such as 10000000, 10_000_000 or 10M')
  .transform((s) => {
    const n = Number.parseFloat(s.replace(/_/g, ''))
    const unit = s.at(-1)!.toLowerCase()
    return Math.round(unit === 'm' ? n * 1e6 : unit === 'k' ? n * 1e3 : n)
  })
  .pipe(z.number().int().positive())

const Args = z.object({
  events: count,
  seed: z.coerce.number().int().nonnegative().default(20261130),
  organizations: count.pipe(z.number().max(10_000)).default(200),
  until: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional(),
  pipelines: z.boolean().default(true),
  summary: z.string().optional(),
})

function parseArgs(args: string[]): z.infer<typeof Args> {
  const raw: Record<string, unknown> = {}
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--no-pipelines') raw.pipelines = false
    else if (a.startsWith('--') && args[i + 1] !== undefined) raw[a.slice(2)] = args[++i]
    else throw new Error(`unexpected argument ${a}\n${usage}`)
  }
  const r = Args.safeParse(raw)
  if (!r.success)
    throw new Error(
      `${r.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n${usage}`,
    )
  return r.data
}

/** `luneo bench …`: returns the exit code. */
export async function runBenchCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command, ...rest] = args
  if (command !== 'generate') {
    console.error(usage)
    return 2
  }
  const o = parseArgs(rest)
  const dataDir = env.LUNEO_DATA_DIR || '.luneo'
  const pg = await openPostgres({ url: env.DATABASE_URL || undefined, dataDir: join(dataDir, 'postgres') })
  const ch = await openClickHouse({
    url: env.CLICKHOUSE_URL || undefined,
    dataDir: join(dataDir, 'clickhouse'),
  })
  try {
    await migratePostgres(pg.db)
    await migrateClickHouse(ch.ch)
    await migrateClickHouse(ch.ch, martMigrations)
    if (await hasOrganizations(pg.db)) {
      console.error(
        'luneo bench generate: the database already has organizations; generate into an empty one (e.g. LUNEO_DATA_DIR=.tmp/scale)',
      )
      return 1
    }
    const summary = await generateDataSet(
      { db: pg.db, ch: ch.ch },
      {
        ...o,
        passwordHash: await hashPassword(BENCH_OWNER_PASSWORD),
        progress: (line) => console.error(line),
      },
    )
    if (o.summary) writeFileSync(o.summary, `${JSON.stringify(summary, null, 2)}\n`)
    console.error(
      `[generate] done: ${summary.events.toLocaleString('en')} events, ${summary.conversations.toLocaleString('en')} conversations, ` +
        `${summary.organizations.length} organizations; insert ${summary.insertSec.toFixed(1)} s, pipelines ${summary.pipelinesSec.toFixed(1)} s`,
    )
    return 0
  } finally {
    await ch.close()
    await pg.close()
  }
}

// `luneo bench generate`: a realistic multi-tenant data set written straight into ClickHouse at
// bulk speed (issue 12: the scale benchmark must not wait hours for the engine to make 10M events).
// Tenants go to Postgres (what the API needs to serve them), events to `events` in large inserts
// (the typed tables follow through their materialized views), then the pipelines rebuild the
// analytics in full, as `luneo pipelines run --full` would. Same code on chDB and on a server.
import { eventRow } from '@luneo/ingest'
import { createLocalEmbedder, createLocalProvider } from '@luneo/models'
import { globalJobs, organizationJobs, runJobs, type RunReport } from '@luneo/pipelines'
import type { Ch, Db } from '@luneo/warehouse'
import { prng } from '../rng.js'
import { createConversations, scriptOf, type Script } from './conversations.js'
import { planTenants, seedTenants, type Tenant } from './tenants.js'

const HOUR = 3600 * 1000
const DAY = 24 * HOUR

export interface GenerateOptions {
  events: number
  seed: number
  organizations: number
  /** The data set ends here (default: the start of the current hour); with the seed, it fixes the data. */
  until?: Date | undefined
  /** The API's hash of the owners' password (`owner-NNN@bench.luneo.dev`). */
  passwordHash: string
  /** Rows per ClickHouse insert (each insert makes a part: thousands, not tens). */
  batchSize?: number
  /** Rebuild the analytics after the insert (default true). */
  pipelines?: boolean
  progress?: (line: string) => void
}

export interface TenantSummary {
  id: string
  vertical: string
  email: string
  /** The history it was given (60–365 days before `until`). */
  historyDays: number
  events: number
  conversations: number
  /** First and last event written (ISO). */
  from: string
  to: string
}

export interface DataSetSummary {
  seed: number
  until: string
  events: number
  conversations: number
  organizations: TenantSummary[]
  insertSec: number
  pipelinesSec: number
  jobs: { job: string; rowsIn: number; rowsOut: number; ms: number }[]
}

// Customers write more by day than by night: relative weight of each UTC hour (peak 1.0 at 14:00).
const hourly = Array.from(
  { length: 24 },
  (_, h) => 0.15 + 0.85 * Math.max(0, Math.sin(((h - 6) / 16) * Math.PI)),
)

/** Shares of `total` proportional to the weights, summing exactly to `total`. */
function quotas(tenants: Tenant[], total: number): number[] {
  const sum = tenants.reduce((s, t) => s + t.weight, 0)
  const q = tenants.map((t) => Math.floor((total * t.weight) / sum))
  let rest = total - q.reduce((s, n) => s + n, 0)
  for (let i = 0; rest > 0; i = (i + 1) % q.length, rest--) q[i]! += 1
  return q
}

/** Writes the data set; returns what it wrote, per organization. */
export async function generateDataSet(
  stores: { db: Db; ch: Ch },
  o: GenerateOptions,
): Promise<DataSetSummary> {
  const log = o.progress ?? (() => {})
  const until = o.until ?? new Date(Math.floor(Date.now() / HOUR) * HOUR)
  const end = until.getTime()
  const rng = prng(o.seed)
  const tenants = planTenants(rng, o.organizations, until)
  await seedTenants(stores.db, tenants, o.passwordHash, until)
  log(`[generate] ${tenants.length} organizations in Postgres (seed ${o.seed}, until ${until.toISOString()})`)

  const batchSize = o.batchSize ?? 50_000
  const conversationEvents = createConversations(rng)
  const scripts = new Map<string, Script>()
  const shares = quotas(tenants, o.events)
  const summaries: TenantSummary[] = []
  let buffer: ReturnType<typeof eventRow>[] = []
  let written = 0
  let conversations = 0
  let nextReport = 0
  const t0 = performance.now()
  const flush = async () => {
    if (buffer.length === 0) return
    // A fresh data set: no id can be present yet, so no dedup read (the sink's) before the insert.
    await stores.ch.insert({ table: 'events', values: buffer, format: 'JSONEachRow' })
    written += buffer.length
    buffer = []
    if (written >= nextReport || written === o.events) {
      const sec = (performance.now() - t0) / 1000
      log(
        `[generate] ${written.toLocaleString('en')} / ${o.events.toLocaleString('en')} events (${((written / o.events) * 100).toFixed(1)} %), ${Math.round(written / sec).toLocaleString('en')} events/s`,
      )
      nextReport = written + Math.max(batchSize, Math.floor(o.events / 20))
    }
  }
  for (const [i, tenant] of tenants.entries()) {
    const script = scripts.get(tenant.vertical) ?? scriptOf(tenant.vertical)
    scripts.set(tenant.vertical, script)
    const quota = shares[i]!
    const from = end - tenant.historyDays * DAY
    const s: TenantSummary = {
      id: tenant.id,
      vertical: tenant.vertical,
      email: tenant.email,
      historyDays: tenant.historyDays,
      events: 0,
      conversations: 0,
      from: '',
      to: '',
    }
    let first = Infinity
    let last = -Infinity
    while (s.events < quota) {
      const start = startTime(rng, from, end - HOUR)
      const events = conversationEvents(tenant, script, start, end).slice(0, quota - s.events)
      s.events += events.length
      s.conversations += 1
      for (const e of events) {
        const at = Date.parse(e.occurredAt)
        if (at < first) first = at
        if (at > last) last = at
        buffer.push(eventRow(e))
      }
      if (buffer.length >= batchSize) await flush()
    }
    conversations += s.conversations
    summaries.push({
      ...s,
      from: quota ? new Date(first).toISOString() : '',
      to: quota ? new Date(last).toISOString() : '',
    })
  }
  await flush()
  const insertSec = (performance.now() - t0) / 1000
  log(
    `[generate] ${written.toLocaleString('en')} events, ${conversations.toLocaleString('en')} conversations in ${insertSec.toFixed(1)} s`,
  )

  let reports: RunReport[] = []
  const p0 = performance.now()
  if (o.pipelines ?? true) {
    const deps = {
      db: stores.db,
      ch: stores.ch,
      embedder: createLocalEmbedder(),
      provider: createLocalProvider(),
    }
    // Pinned one hour after the data ends, so the windows hold it all and ingested_at (stamped at
    // insert, i.e. now) does not make every conversation a late arrival for the next scheduled run.
    const now = new Date(Math.max(end + HOUR, Date.now()))
    for (const jobs of [organizationJobs, globalJobs]) {
      for (const job of jobs) {
        const j0 = performance.now()
        const r = await runJobs(deps, [job], { full: true, now })
        reports.push(...r)
        log(
          `[generate] pipelines: ${job.name} ${((performance.now() - j0) / 1000).toFixed(1)} s, rows in ${sum(r, 'rowsIn')}, out ${sum(r, 'rowsOut')}`,
        )
      }
    }
  }
  const jobs = [...new Set(reports.map((r) => r.job))].map((job) => {
    const rs = reports.filter((r) => r.job === job)
    return { job, rowsIn: sum(rs, 'rowsIn'), rowsOut: sum(rs, 'rowsOut'), ms: sum(rs, 'ms') }
  })
  reports = []
  return {
    seed: o.seed,
    until: until.toISOString(),
    events: written,
    conversations,
    organizations: summaries,
    insertSec,
    pipelinesSec: (performance.now() - p0) / 1000,
    jobs,
  }
}

const sum = (rs: RunReport[], k: 'rowsIn' | 'rowsOut' | 'ms') => rs.reduce((n, r) => n + r[k], 0)

/** A start time in [from, to) shaped by the hour of day (rejection sampling on `hourly`). */
function startTime(rng: ReturnType<typeof prng>, from: number, to: number): number {
  for (;;) {
    const t = from + rng.next() * (to - from)
    if (rng.next() < hourly[new Date(t).getUTCHours()]!) return t
  }
}

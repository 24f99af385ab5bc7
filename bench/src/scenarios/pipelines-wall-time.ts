// Pipeline wall time per 100k events (issue #5). Synthetic conversations shaped like the engine's
// events (conversation.started, message.received, reply.sent, action.executed, feedback.submitted,
// outcome.recorded, conversation.escalated; payloads per ingest/src/events/catalogue.ts) for a few
// organizations, written through the ClickHouse sink into a fresh embedded chDB, organizations
// (agents, a running experiment each) in a migrated PGlite. Then every job @luneo/pipelines
// exports, in dependency order: a full rebuild, and an incremental run after 10 % more events
// with later timestamps arrive.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  martMigrations,
  insertAgent,
  insertExperiment,
  insertOrganization,
  insertPromptVersion,
  migrateClickHouse,
  newId,
  openClickHouse,
  type Db,
} from '@luneo/warehouse'
import { openTestPostgres } from '@luneo/warehouse/testing'
import { createClickHouseSink, type EventEnvelope } from '@luneo/ingest'
import * as pipelines from '@luneo/pipelines'
import type { Job, PipelineDeps } from '@luneo/pipelines'
import { createLocalEmbedder, createLocalProvider } from '@luneo/models'
import { openFigures } from '../results.js'
import { runDriver } from '../spawn-server.js'
import { prng, type Rng } from '../rng.js'
import { createConversations, scriptOf, type ConversationTenant } from '../generate/conversations.js'

type Emit = (name: string, value: number, unit: string) => void

const HOUR = 60 * 60_000
const DAY = 24 * HOUR

interface Org extends ConversationTenant {
  vertical: 'ecommerce' | 'real_estate'
  experiment: { id: string; variantIds: string[] }
}

/** Organizations (five in one vertical, so vertical insights publish), each with an agent and a running A/B experiment. */
async function seedOrganizations(db: Db): Promise<Org[]> {
  const verticals: Org['vertical'][] = [
    'ecommerce',
    'ecommerce',
    'ecommerce',
    'ecommerce',
    'ecommerce',
    'real_estate',
  ]
  const orgs: Org[] = []
  for (const [n, vertical] of verticals.entries()) {
    const id = newId()
    await insertOrganization(db, { id, name: `Bench shop ${n + 1}`, vertical })
    const agentId = newId()
    await insertAgent(db, {
      id: agentId,
      organization_id: id,
      name: 'Support',
      vertical,
      template_version: '1',
      prompt_version_id: null,
      settings: {},
    })
    const prompts = []
    for (const label of ['A', 'B'])
      prompts.push(
        await insertPromptVersion(db, {
          id: newId(),
          organization_id: id,
          name: `support-${label}`,
          template: `You are the support assistant of {{businessName}} (variant ${label}). Answer from the context only.`,
        }),
      )
    const variantIds = prompts.map(() => newId())
    const experimentId = newId()
    await insertExperiment(
      db,
      { id: experimentId, organization_id: id, agent_id: agentId, name: 'tone' },
      prompts.map((p, i) => ({ id: variantIds[i]!, prompt_version_id: p.id, label: i === 0 ? 'A' : 'B' })),
    )
    orgs.push({
      id,
      vertical,
      agentId,
      experiment: { id: experimentId, variantIds },
      documentIds: Array.from({ length: 8 }, () => newId()),
    })
  }
  return orgs
}

/**
 * The data generator's conversations (generate/conversations.ts: the template's intent examples,
 * the questions its knowledge does not cover, a handoff after two unanswered replies), with ids
 * from newId, 25 % of fresh questions uncovered, and an order lookup on order questions (it needs
 * input when the text has no order number).
 */
function benchConversations(rng: Rng) {
  return createConversations(rng, {
    id: () => newId(),
    unansweredShare: 0.25,
    action: (_rng, q, text) =>
      q.intent === 'order_status'
        ? { action: 'order_status', ok: true, needsInput: !/\d{5}/.test(text) }
        : null,
  })
}

/** Conversations starting uniformly in [from, to − 1 h) until `total` events, across the organizations. */
function generate(rng: Rng, orgs: Org[], total: number, from: number, to: number): EventEnvelope[] {
  const conversationEvents = benchConversations(rng)
  const scripts = { ecommerce: scriptOf('ecommerce'), real_estate: scriptOf('real_estate') }
  const out: EventEnvelope[] = []
  while (out.length < total) {
    const start = from + rng.next() * (to - HOUR - from)
    const org = rng.pick(orgs)
    out.push(...conversationEvents(org, scripts[org.vertical], start, to))
  }
  return out.slice(0, total)
}

function isJob(v: unknown): v is Job {
  const j = v as Partial<Job> | null
  return (
    typeof j === 'object' &&
    j !== null &&
    typeof j.name === 'string' &&
    (j.scope === 'organization' || j.scope === 'global') &&
    typeof j.lookbackMs === 'number' &&
    typeof j.run === 'function'
  )
}

/** The API's order (api/src/analytics/pipelines.ts): signals → outcomes → gaps → variant scores, then global jobs. */
const order = [
  'learning_signals_v1',
  'conversation_outcomes_v1',
  'knowledge_gaps_v1',
  'variant_scoring_v1',
  'vertical_insights_v1',
]

/** Every Job @luneo/pipelines exports, once each, in dependency order (unknown ones after, global ones last). */
export function exportedJobs(): Job[] {
  const jobs = [
    ...new Map(
      Object.values(pipelines)
        .filter(isJob)
        .map((j) => [j.name, j]),
    ).values(),
  ]
  const rank = (j: Job) =>
    (j.scope === 'global' ? 100 : 0) + (order.includes(j.name) ? order.indexOf(j.name) : order.length)
  return jobs.sort((a, b) => rank(a) - rank(b))
}

/** `knowledge_gaps_v1` → `knowledge_gaps` (the BENCH name's middle part). */
const shortName = (job: Job) => job.name.replace(/_v\d+$/, '')

async function publish(ch: PipelineDeps['ch'], events: EventEnvelope[]): Promise<number> {
  const sink = createClickHouseSink(ch)
  const t0 = performance.now()
  for (let i = 0; i < events.length; i += 5000) await sink.publish(events.slice(i, i + 5000))
  if (sink.insertedTotal() !== events.length)
    throw new Error(`pipelines bench: ${sink.insertedTotal()} of ${events.length} events written`)
  return (performance.now() - t0) / 1000
}

/**
 * With a file name (`BENCH_PIPELINE_PROF`), a CPU profile of the incremental phase only, sampled
 * every 0.5 ms, written there (open it in Chrome's DevTools); the returned function stops it.
 */
async function startProfile(file: string | undefined): Promise<(() => Promise<void>) | null> {
  if (!file) return null
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 500 })
  await session.post('Profiler.start')
  return async () => {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(file, JSON.stringify(profile))
    session.disconnect()
    console.error(`[bench] CPU profile of the incremental phase: ${file}`)
  }
}

/** Emits pipeline_* figures. `total`: events before the incremental run (10 % more arrive for it). */
export async function measurePipelines(emit: Emit, total = 100_000): Promise<void> {
  const started = performance.now()
  const dir = mkdtempSync(join(tmpdir(), 'luneo-bench-pipelines-'))
  const ch = await openClickHouse({ dataDir: dir })
  const pg = await openTestPostgres()
  try {
    await migrateClickHouse(ch.ch)
    await migrateClickHouse(ch.ch, martMigrations)
    const orgs = await seedOrganizations(pg.db)
    const rng = prng(20261125)
    // Runs are pinned before the wall clock (`now`): ClickHouse stamps ingested_at at insert
    // time, and a window that reached it would pull every conversation back in as a late arrival.
    const t1 = Date.now() - HOUR
    const t0 = t1 - 3 * DAY
    const history = generate(rng, orgs, total, t0 - 30 * DAY, t0)
    const fresh = generate(rng, orgs, Math.round(total / 10), t0, t1)
    const jobs = exportedJobs()
    const deps: PipelineDeps = {
      db: pg.db,
      ch: ch.ch,
      embedder: createLocalEmbedder(),
      provider: createLocalProvider(),
    }
    const insertSec = await publish(ch.ch, history)
    console.error(
      `[bench] pipelines: ${history.length} events over 30 days, ${orgs.length} organizations, ` +
        `written in ${insertSec.toFixed(1)} s; jobs: ${jobs.map((j) => j.name).join(', ')}`,
    )
    emit('pipeline_events_full', history.length, 'events')
    emit('pipeline_events_incremental', fresh.length, 'events')

    // CPU seconds of this process (the jobs, embedded chDB's threads and PGlite all run in it):
    // what a busy neighbour disturbs least, beside the wall time.
    const timed = async (job: Job, options: pipelines.RunOptions) => {
      const start = performance.now()
      const cpu = process.cpuUsage()
      const reports = await pipelines.runJob(deps, job, options)
      const sec = (performance.now() - start) / 1000
      const used = process.cpuUsage(cpu)
      const cpuSec = (used.user + used.system) / 1e6
      const rowsIn = reports.reduce((n, r) => n + r.rowsIn, 0)
      const rowsOut = reports.reduce((n, r) => n + r.rowsOut, 0)
      return { sec, cpuSec, rowsIn, rowsOut }
    }
    // As runJobs does for a tick (the scheduler, a refresh, `luneo pipelines run`): one set of
    // conversation reads per run, so outcomes takes the conversations signals read.
    let fullSec = 0
    const fullReads = pipelines.createConversationReads()
    for (const job of jobs) {
      const r = await timed(job, { full: true, now: new Date(t0), reads: fullReads })
      fullSec += r.sec
      emit(`pipeline_${shortName(job)}_full_per_100k`, (r.sec * 100_000) / history.length, 's')
      console.error(`[bench] ${job.name} full: ${r.sec.toFixed(2)} s, in ${r.rowsIn}, out ${r.rowsOut}`)
    }
    await publish(ch.ch, fresh)
    // The 10 % arrive over 3 days, so T1 is past the gaps' daily full re-cluster: in service the
    // runs between re-clusters place new questions only, and that is what this measures; the
    // re-cluster, a fixed cost per day and organization, is its own figure below.
    const between = pipelines.createKnowledgeGaps({ reclusterEveryMs: 7 * DAY })
    const incremental = (job: Job) => (job.name === between.name ? between : job)
    // The per-tick figure is the jobs a scheduler tick or a refresh runs; a maintenance job
    // (retention: hourly, on its own clock, never per tick) is printed beside it, not summed in.
    const maintenance = new Set(pipelines.maintenanceJobs.map((j) => j.name))
    let incSec = 0
    let incCpuSec = 0
    let maintenanceSec = 0
    let maintenanceCpuSec = 0
    const reads = pipelines.createConversationReads()
    const profile = await startProfile(process.env.BENCH_PIPELINE_PROF)
    for (const job of jobs) {
      const r = await timed(incremental(job), { now: new Date(t1), reads })
      if (maintenance.has(job.name)) {
        maintenanceSec += r.sec
        maintenanceCpuSec += r.cpuSec
      } else {
        incSec += r.sec
        incCpuSec += r.cpuSec
      }
      emit(`pipeline_${shortName(job)}_incremental_per_100k`, (r.sec * 100_000) / fresh.length, 's')
      console.error(
        `[bench] ${job.name} incremental (lookback ${(job.lookbackMs / HOUR).toFixed(1)} h): ${r.sec.toFixed(2)} s (CPU ${r.cpuSec.toFixed(2)} s), in ${r.rowsIn}, out ${r.rowsOut}`,
      )
    }
    await profile?.()
    const recluster = jobs.find((j) => j.name === between.name)
    if (recluster) {
      const r = await timed(recluster, { now: new Date(t1 + HOUR) })
      emit('pipeline_knowledge_gaps_recluster_sec', r.sec, 's')
      console.error(
        `[bench] knowledge_gaps_v1 daily re-cluster: ${r.sec.toFixed(2)} s, in ${r.rowsIn}, out ${r.rowsOut}`,
      )
    }
    emit('pipeline_all_full_per_100k', (fullSec * 100_000) / history.length, 's')
    emit('pipeline_all_incremental_per_100k', (incSec * 100_000) / fresh.length, 's')
    emit('pipeline_all_full_sec', fullSec, 's')
    emit('pipeline_all_incremental_sec', incSec, 's')
    emit('pipeline_all_incremental_cpu_per_100k', (incCpuSec * 100_000) / fresh.length, 's')
    console.error(
      `[bench] conversation reads: full ${fullReads.counts.read} events read, ${fullReads.counts.reused} handed over; ` +
        `incremental ${reads.counts.read} read, ${reads.counts.reused} handed over`,
    )
    emit('pipeline_maintenance_sec', maintenanceSec, 's')
    emit('pipeline_maintenance_cpu_sec', maintenanceCpuSec, 's')
    console.error(`[bench] pipelines: ${((performance.now() - started) / 1000).toFixed(0)} s in all`)
  } finally {
    await pg.close()
    await ch.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

// Alone (~1–2 min, no PostgreSQL server): node --import tsx bench/src/scenarios/pipelines-wall-time.ts
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDriver('[bench] pipelines', async () => {
    const out = openFigures()
    await measurePipelines(
      (name, value, unit) => out.emit(name, value, unit),
      Number.parseInt(process.env.BENCH_PIPELINE_EVENTS ?? '100000', 10),
    )
  })
}

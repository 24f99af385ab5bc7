// Pipeline wall time per 100k events (issue #5). Synthetic conversations shaped like the engine's
// events (conversation.started, message.received, reply.sent, action.executed, feedback.submitted,
// outcome.recorded, conversation.escalated; payloads per ingest/src/events/catalogue.ts) for a few
// organizations, written through the ClickHouse sink into a fresh embedded chDB, organizations
// (agents, a running experiment each) in a migrated PGlite. Then every job @luneo/pipelines
// exports, in dependency order: a full rebuild, and an incremental run after 10 % more events
// with later timestamps arrive.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
import { buildEvent, createClickHouseSink, type EventContext, type EventEnvelope } from '@luneo/ingest'
import * as pipelines from '@luneo/pipelines'
import type { Job, PipelineDeps } from '@luneo/pipelines'
import { createLocalEmbedder, createLocalProvider } from '@luneo/models'
import { prng, type Rng } from '../rng.js'
import { llmReplyFields } from '../llm-fields.js'

type Emit = (name: string, value: number, unit: string) => void

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

interface Question {
  intent: string
  /** Paraphrases of one question: a rephrase picks another one. */
  texts: string[]
}
interface VerticalScript {
  answered: Question[]
  /** What the knowledge base does not cover: the knowledge-gap job's material. */
  unanswered: Question[]
}

const scripts: Record<'ecommerce' | 'real_estate', VerticalScript> = {
  ecommerce: {
    answered: [
      { intent: 'shipping_info', texts: ['How long does delivery take?', 'When will my parcel arrive?'] },
      { intent: 'shipping_info', texts: ['How much is shipping?', 'What does delivery cost?'] },
      { intent: 'order_status', texts: ['Where is my order?', 'Has my order shipped yet?'] },
      { intent: 'return_request', texts: ['How do I return an item?', 'What is your return policy?'] },
      { intent: 'refund_status', texts: ['When will I get my refund?', 'How long do refunds take?'] },
      { intent: 'payment_issue', texts: ['Which payment methods do you accept?', 'Can I pay with PayPal?'] },
      { intent: 'order_change', texts: ['Can I cancel my order?', 'How do I change my delivery address?'] },
    ],
    unanswered: [
      { intent: 'shipping_info', texts: ['Do you ship to Canada?', 'Can you deliver to Canada?'] },
      {
        intent: 'product_question',
        texts: ['Is this jacket waterproof?', 'Is the rain jacket water resistant?'],
      },
      {
        intent: 'product_question',
        texts: ['Do you sell gift cards?', 'Can I buy a gift card for a friend?'],
      },
      {
        intent: 'other',
        texts: ['Do you have a physical store in Lyon?', 'Can I pick up my order in a shop?'],
      },
    ],
  },
  real_estate: {
    answered: [
      { intent: 'viewing_request', texts: ['Can I book a viewing?', 'When can I visit the flat?'] },
      {
        intent: 'listing_question',
        texts: ['Is the apartment still available?', 'Is this listing still on the market?'],
      },
      { intent: 'fees', texts: ['What are your agency fees?', 'How much commission do you charge?'] },
    ],
    unanswered: [
      { intent: 'listing_question', texts: ['Are pets allowed in the building?', 'Can I keep a dog there?'] },
      { intent: 'other', texts: ['Do you handle commercial leases?', 'Can you rent out my office space?'] },
    ],
  },
}

interface Org {
  id: string
  vertical: 'ecommerce' | 'real_estate'
  agentId: string
  experimentId: string
  variantIds: string[]
  documentIds: string[]
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
      experimentId,
      variantIds,
      documentIds: Array.from({ length: 8 }, () => newId()),
    })
  }
  return orgs
}

const channels = ['widget', 'api', 'email'] as const

/**
 * One conversation's events, in time order, all before `end`: 1–3 turns (a question and its
 * reply at the same instant, as the engine stamps them), an order lookup on order questions, a
 * rephrase after an unanswered reply, a handoff after two unanswered replies in a row or when
 * the customer asks, then maybe feedback, an outcome, and now and then a return days later.
 */
function conversation(rng: Rng, org: Org, start: number, end: number): EventEnvelope[] {
  const script = scripts[org.vertical]
  const base: EventContext = {
    organizationId: org.id,
    vertical: org.vertical,
    correlationId: newId(),
    conversationId: newId(),
    contactId: rng.chance(0.6) ? newId() : null,
    agentId: org.agentId,
  }
  const at = (t: number): EventContext => ({ ...base, occurredAt: new Date(t) })
  const variantIndex = rng.int(0, org.variantIds.length - 1)
  const variantId = org.variantIds[variantIndex]!
  const channel = rng.pick(channels)
  const events: EventEnvelope[] = [
    buildEvent('conversation.started', at(start), { channel, hasContact: base.contactId !== null }),
  ]
  let t = start + rng.int(1_000, 30_000)
  let streak = 0
  let escalated = false
  let previous: { q: Question; grounded: boolean } | null = null
  const turns = rng.chance(0.5) ? 1 : rng.chance(0.6) ? 2 : 3
  const turn = (q: Question, text: string) => {
    const grounded = !script.unanswered.includes(q)
    const messageId = newId()
    const replyId = newId()
    const topScore = grounded ? 0.55 + rng.next() * 0.4 : rng.next() * 0.3
    const scores = [topScore, ...Array.from({ length: 3 }, () => topScore * (0.5 + rng.next() * 0.5))]
    streak = grounded ? 0 : streak + 1
    const asked = rng.chance(0.03)
    const reason = streak >= 2 ? ('low_confidence' as const) : asked ? ('asked' as const) : null
    events.push(
      buildEvent('message.received', at(t), {
        messageId,
        channel,
        text,
        piiRedacted: text.includes('[EMAIL]') ? 1 : 0,
      }),
      buildEvent('reply.sent', at(t), {
        messageId: replyId,
        replyToId: messageId,
        intent: q.intent,
        intentConfidence: 0.45 + rng.next() * 0.5,
        grounded,
        topScore,
        retrievalScores: scores,
        sourceDocumentIds: grounded ? [rng.pick(org.documentIds)] : [],
        experimentId: org.experimentId,
        variantId,
        ...llmReplyFields(rng, reason !== null),
      }),
    )
    if (q.intent === 'order_status')
      events.push(
        buildEvent('action.executed', at(t), {
          action: 'order_status',
          ok: true,
          needsInput: !/\d{5}/.test(text),
          messageId: replyId,
        }),
      )
    if (reason) {
      events.push(buildEvent('conversation.escalated', at(t), { reason, messageId: replyId }))
      escalated = true
    }
    previous = { q, grounded }
  }
  for (let k = 0; k < turns && !escalated && t < end; k++) {
    const p = previous as { q: Question; grounded: boolean } | null
    // After an unanswered reply, half the customers ask the same thing again in other words.
    const q: Question =
      p && !p.grounded && rng.chance(0.5)
        ? p.q
        : rng.chance(0.25)
          ? rng.pick(script.unanswered)
          : rng.pick(script.answered)
    // Customers' words vary: an order number, an email (already redacted), a greeting.
    let text = rng.pick(q.texts)
    if (rng.chance(0.3)) text = `${text} Order ${rng.int(10_000, 99_999)}.`
    if (rng.chance(0.1)) text = `${text} You can reach me at [EMAIL].`
    if (rng.chance(0.2)) text = `Hi, ${text.charAt(0).toLowerCase()}${text.slice(1)}`
    turn(q, text)
    t += rng.int(40_000, 8 * MIN)
  }
  const last = previous as { q: Question; grounded: boolean } | null
  if (!escalated && t < end && rng.chance(0.3)) {
    const positive = last?.grounded ? rng.chance(0.85) : rng.chance(0.3)
    events.push(
      buildEvent('feedback.submitted', at(t), {
        feedbackId: newId(),
        rating: positive ? 'positive' : 'negative',
        csat: rng.chance(0.7) ? (positive ? rng.int(4, 5) : rng.int(1, 3)) : null,
      }),
    )
    t += rng.int(10_000, 2 * MIN)
  }
  if (!escalated && t < end && rng.chance(0.15)) {
    const purchase = rng.chance(0.4)
    events.push(
      buildEvent('outcome.recorded', at(t), {
        outcomeId: newId(),
        type: purchase ? 'purchase' : 'resolved',
        amount: purchase ? Math.round(2000 + rng.next() * 15_000) / 100 : null,
        currency: purchase ? 'EUR' : null,
      }),
    )
  }
  // A few customers come back days later with another question (reopens, durable resolution).
  const back = t + rng.int(1, 5) * DAY
  if (!escalated && back < end && rng.chance(0.05)) {
    const q = rng.pick(script.answered)
    t = back
    turn(q, rng.pick(q.texts))
  }
  return events.filter((e) => Date.parse(e.occurredAt) < end)
}

/** Conversations starting uniformly in [from, to − 1 h) until `total` events, across the organizations. */
function generate(rng: Rng, orgs: Org[], total: number, from: number, to: number): EventEnvelope[] {
  const out: EventEnvelope[] = []
  while (out.length < total) {
    const start = from + rng.next() * (to - HOUR - from)
    out.push(...conversation(rng, rng.pick(orgs), start, to))
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

    const timed = async (job: Job, options: pipelines.RunOptions) => {
      const start = performance.now()
      const reports = await pipelines.runJob(deps, job, options)
      const sec = (performance.now() - start) / 1000
      const rowsIn = reports.reduce((n, r) => n + r.rowsIn, 0)
      const rowsOut = reports.reduce((n, r) => n + r.rowsOut, 0)
      return { sec, rowsIn, rowsOut }
    }
    let fullSec = 0
    for (const job of jobs) {
      const r = await timed(job, { full: true, now: new Date(t0) })
      fullSec += r.sec
      emit(`pipeline_${shortName(job)}_full_per_100k`, (r.sec * 100_000) / history.length, 's')
      console.error(`[bench] ${job.name} full: ${r.sec.toFixed(2)} s, in ${r.rowsIn}, out ${r.rowsOut}`)
    }
    await publish(ch.ch, fresh)
    let incSec = 0
    for (const job of jobs) {
      const r = await timed(job, { now: new Date(t1) })
      incSec += r.sec
      emit(`pipeline_${shortName(job)}_incremental_per_100k`, (r.sec * 100_000) / fresh.length, 's')
      console.error(
        `[bench] ${job.name} incremental (lookback ${job.lookbackMs / DAY} d): ${r.sec.toFixed(2)} s, in ${r.rowsIn}, out ${r.rowsOut}`,
      )
    }
    emit('pipeline_all_full_per_100k', (fullSec * 100_000) / history.length, 's')
    emit('pipeline_all_incremental_per_100k', (incSec * 100_000) / fresh.length, 's')
    emit('pipeline_all_full_sec', fullSec, 's')
    emit('pipeline_all_incremental_sec', incSec, 's')
    console.error(`[bench] pipelines: ${((performance.now() - started) / 1000).toFixed(0)} s in all`)
  } finally {
    await pg.close()
    await ch.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

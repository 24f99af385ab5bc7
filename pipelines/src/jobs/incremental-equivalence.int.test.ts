import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalEmbedder, createLocalProvider } from '@luneo/models'
import {
  chDateTime,
  insertOrganization,
  newId,
  type ClickHouseHandle,
  type PostgresHandle,
} from '@luneo/warehouse'
import { openTestClickHouse, openTestPostgres } from '@luneo/warehouse/testing'
import type { Job, PipelineDeps } from '../runner/job.js'
import { runJob, runJobs } from '../runner/run.js'
import { createConversationReads } from './conversation-events.js'
import { seededRandom } from './beta.js'
import { conversationOutcomes } from './conversation-outcomes.job.js'
import { learningSignals } from './learning-signals.job.js'

// Learning signals and conversation outcomes recompute, on an incremental run, only the
// conversations an event touched since the watermark or a timer moved (ADR 0023). This holds them
// to "the same rows as a full run": 200 generated conversations over 12 days whose events arrive
// run by run (some late), incremental runs from 10 minutes to 3 days apart, then the marts are
// compared, row by row, with a full rebuild at the same instant. Every other run goes through
// runJobs, where the outcomes job takes the conversations the signals job read (one read per run;
// once past its limit of ids, so it reads again), the others run each job with reads of its own:
// all must come to the full rebuild's rows.

const MIN = 60_000
const H = 60 * MIN
const DAY = 24 * H
const START = Date.UTC(2026, 9, 1)
const END = START + 20 * DAY

interface Ev {
  id: string
  type: string
  at: number
  arrives: number
  conversation: string
  payload: Record<string, unknown>
}

/** Conversations of every shape the definitions tell apart, and timers that run out between runs. */
function conversations(): Ev[] {
  const rnd = seededRandom(20261130)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!
  const out: Ev[] = []
  for (let c = 0; c < 200; c++) {
    const conversation = newId()
    let t = START + rnd() * 12 * DAY
    // 1 in 8 arrives late (up to two days after it happened), the rest within a minute; a
    // conversation's events arrive in order (one stream partition per conversation)
    const delay = rnd() < 0.125 ? rnd() * 2 * DAY : MIN
    let arrived = 0
    const ev = (type: string, payload: Record<string, unknown>) => {
      arrived = Math.max(arrived, t + delay)
      out.push({ id: newId(), type, at: t, arrives: arrived, conversation, payload })
    }
    ev('conversation.started', { channel: pick(['api', 'widget']) })
    const turns = 1 + Math.floor(rnd() * 3)
    for (let i = 0; i < turns; i++) {
      const messageId = newId()
      ev('message.received', {
        messageId,
        text: pick(['where is my order', 'refund?', 'where is my order please']),
      })
      ev('reply.sent', {
        messageId: newId(),
        replyToId: messageId,
        grounded: rnd() < 0.7,
        intent: pick(['order_status', 'refund']),
        topScore: 0.5,
        costUsd: 0.001,
        latencyMs: 800,
      })
      t += rnd() < 0.5 ? rnd() * 9 * MIN : rnd() * 3 * H
    }
    const r = rnd()
    if (r < 0.15) ev('feedback.submitted', { rating: 'positive', csat: 5 })
    else if (r < 0.25) ev('feedback.submitted', { rating: 'negative', csat: 1 })
    else if (r < 0.35) ev('outcome.recorded', { type: 'resolved' })
    else if (r < 0.4) ev('conversation.escalated', { reason: 'customer_request' })
    else if (r < 0.45) ev('outcome.recorded', { type: 'purchase', amount: 40 })
    // a customer coming back hours or days later (reopens a resolved conversation)
    if (rnd() < 0.2) {
      t += rnd() < 0.5 ? rnd() * 30 * H : rnd() * 9 * DAY
      const messageId = newId()
      ev('message.received', { messageId, text: 'me again' })
      ev('reply.sent', { messageId: newId(), replyToId: messageId, grounded: true, intent: 'order_status' })
    }
  }
  return out
}

let pg: PostgresHandle
let ch: ClickHouseHandle
const org = newId()
const agent = newId()
const deps = (): PipelineDeps => ({
  db: pg.db,
  ch: ch.ch,
  embedder: createLocalEmbedder(),
  provider: createLocalProvider(),
})

async function arrive(events: Ev[]) {
  if (events.length === 0) return
  await ch.ch.insert({
    table: 'events',
    values: events.map((e) => ({
      id: e.id,
      type: e.type,
      version: 1,
      organization_id: org,
      occurred_at: chDateTime(e.at),
      conversation_id: e.conversation,
      agent_id: agent,
      vertical: 'ecommerce',
      correlation_id: 'c',
      payload: JSON.stringify(e.payload),
      ingested_at: chDateTime(e.arrives),
    })),
    format: 'JSONEachRow',
  })
}

/** The mart's current rows (FINAL), every column but when they were computed. */
async function mart(table: string, key: string): Promise<Record<string, unknown>[]> {
  const rs = await ch.ch.query({
    query: `SELECT * EXCEPT computed_at FROM ${table} FINAL WHERE organization_id = {org:UUID} ORDER BY ${key}`,
    query_params: { org },
    format: 'JSONEachRow',
  })
  return rs.json()
}

beforeAll(async () => {
  pg = await openTestPostgres()
  ch = await openTestClickHouse()
  await insertOrganization(pg.db, { id: org, name: 'Shop', vertical: 'ecommerce' })
})
afterAll(async () => {
  await ch?.close()
  await pg?.close()
})

describe('incremental learning signals and outcomes equal a full rebuild', () => {
  it('over runs 10 minutes to 3 days apart, with late events and timers running out between them', async () => {
    const events = conversations()
    const jobs: Job[] = [learningSignals, conversationOutcomes]
    const steps = [10 * MIN, 20 * MIN, 2 * H, DAY, 3 * DAY, 35 * MIN, 7 * DAY, 10 * MIN, 2 * DAY, 25 * H]
    let at = START + 4 * DAY
    await arrive(events.filter((e) => e.arrives < at))
    for (const job of jobs) await runJob(deps(), job, { full: true, now: new Date(at) })
    const loaded: number[] = []
    let handedOver = 0
    for (const [i, step] of steps.entries()) {
      const next = at + step
      await arrive(events.filter((e) => e.arrives >= at && e.arrives < next))
      at = next
      if (i % 2 === 0) {
        // and one run where the outcomes would have to list more ids than a reads allows: it reads
        // its set whole again instead
        const reads = createConversationReads(i === 4 ? { maxListedIds: 0 } : {})
        const reports = await runJobs(deps(), jobs, { organizationId: org, now: new Date(at), reads })
        const outcomesIn = reports.find((r) => r.job === conversationOutcomes.name)!.rowsIn
        const signalsIn = reports.find((r) => r.job === learningSignals.name)!.rowsIn
        loaded.push(outcomesIn)
        if (i === 4) {
          // past its limit nothing is handed over: the outcomes read their whole set themselves
          expect(outcomesIn).toBeGreaterThan(0)
          expect(reads.counts).toEqual({ read: signalsIn + outcomesIn, reused: 0 })
        } else if (outcomesIn > 0) {
          // the outcomes took part of their events from the signals job's read, and read the rest
          expect(reads.counts.reused).toBeGreaterThan(0)
          expect(reads.counts.read).toBe(signalsIn + outcomesIn - reads.counts.reused)
          handedOver += reads.counts.reused
        }
        continue
      }
      for (const job of jobs) {
        const [report] = await runJob(deps(), job, { organizationId: org, now: new Date(at) })
        if (job === conversationOutcomes) loaded.push(report!.rowsIn)
      }
    }
    expect(handedOver).toBeGreaterThan(0)
    expect(at).toBeLessThan(END)
    const incremental = {
      signals: await mart('reply_signals_v1', 'reply_id'),
      outcomes: await mart('conversation_outcomes_v1', 'conversation_id'),
    }
    for (const job of jobs) {
      const [report] = await runJob(deps(), job, { organizationId: org, full: true, now: new Date(at) })
      if (job === conversationOutcomes) loaded.push(report!.rowsIn)
    }
    const full = {
      signals: await mart('reply_signals_v1', 'reply_id'),
      outcomes: await mart('conversation_outcomes_v1', 'conversation_id'),
    }
    expect(full.outcomes).toHaveLength(200)
    expect(incremental.signals).toEqual(full.signals)
    expect(incremental.outcomes).toEqual(full.outcomes)
    // every status the fixture means to reach, some only by time passing (assumed, durable, abandoned)
    const statuses = new Set(full.outcomes.map((o) => o.status))
    expect([...statuses].sort()).toEqual(['abandoned', 'assumed', 'confirmed', 'handed_off', 'open'])
    expect(full.outcomes.some((o) => o.durable === 1 && o.status === 'assumed')).toBe(true)
    expect(full.signals.some((s) => s.abandoned === 1)).toBe(true)
    // and the runs minutes apart read a fraction of what the full one reads
    const fullRead = loaded.pop()!
    expect(loaded[0]).toBeLessThan(fullRead / 4)
    expect(loaded[1]).toBeLessThan(fullRead / 4)
  })
})

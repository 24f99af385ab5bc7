import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalProvider, type Embedder } from '@luneo/models'
import {
  gapsForMatching,
  insertOrganization,
  lastGapRecluster,
  newId,
  reviewGap,
  type ClickHouseHandle,
  type KnowledgeGap,
  type PostgresHandle,
} from '@luneo/warehouse'
import { openTestClickHouse, openTestPostgres } from '@luneo/warehouse/testing'
import type { PipelineDeps } from '../runner/job.js'
import { insertFailedReply } from '../testing/failed-reply.js'
import { createTopicEmbedder } from '../testing/topic-embedder.js'
import { runJob } from '../runner/run.js'
import { createKnowledgeGaps, knowledgeGaps } from './knowledge-gaps.job.js'

// Incremental knowledge gaps (ADR 0023) on real Postgres and ClickHouse, hand-counted: a first
// run clusters in full; the runs after it within the day only place the new failed questions —
// into the stored gap they are near, or pending until enough similar ones make a gap — and the
// volumes, escalations, last-seen times, members, examples, scores and statuses are those a
// person computes from the fixture. The day after, a full re-cluster keeps every id.

const H = 3600 * 1000
const DAY = 24 * H
const T0 = Date.UTC(2026, 10, 20, 12) // the first (full) run
const SHIP_ACCEPTED = T0 + 30 * 60_000

// One axis per topic word, so every cosine is 0 or 1 and a gap's cohesion is 1: a question joins
// a gap exactly when it names the gap's topic.
const embedder = createTopicEmbedder('topic-axes-v1', ['gift', 'ship', 'refund', 'warranty', 'apple pay'])

let pg: PostgresHandle
let ch: ClickHouseHandle
const deps = (): PipelineDeps => ({ db: pg.db, ch: ch.ch, embedder, provider: createLocalProvider() })

const failed = (org: string, at: number, question: string, escalated = 0) =>
  insertFailedReply(ch.ch, { organizationId: org, at, question, escalated })

const run = (org: string, at: number, job = knowledgeGaps) =>
  runJob(deps(), job, { organizationId: org, now: new Date(at) }).then((r) => r[0]!)
const byTopic = async (org: string) => {
  const gaps = await gapsForMatching(pg.db, org)
  const of = (word: string) => gaps.find((g) => g.examples.some((e) => e.toLowerCase().includes(word)))
  return { gaps, of }
}
// volume × 0.5^(age ÷ 7 days) × (1 + escalations × 6 min ÷ 60 × 30 an hour): the default assumptions
const score = (volume: number, escalations: number, lastSeen: number, now: number) =>
  volume * Math.pow(0.5, (now - lastSeen) / (7 * DAY)) * (1 + escalations * 3)

beforeAll(async () => {
  pg = await openTestPostgres()
  ch = await openTestClickHouse()
})
afterAll(async () => {
  await ch?.close()
  await pg?.close()
})

describe('knowledge_gaps_v1 between full re-clusters', () => {
  const org = newId()
  const ids: Record<string, string> = {}
  const gift: string[] = []

  it('a first run clusters in full and records when', async () => {
    await insertOrganization(pg.db, { id: org, name: 'Shop', vertical: 'ecommerce' })
    for (const [i, q] of [
      'Do you sell gift cards?',
      'gift card for a friend',
      'gift cards for sale?',
    ].entries())
      gift.push(await failed(org, T0 - (5 + i) * DAY, q))
    for (const [i, q] of ['do you ship to Norway?', 'shipping to Canada?', 'ship abroad?'].entries())
      await failed(org, T0 - (4 + i) * DAY, q)
    for (const [i, q] of ['warranty on shoes?', 'how long is the warranty', 'warranty claim'].entries())
      await failed(org, T0 - (3 + i) * DAY, q)
    const report = await run(org, T0)
    expect(report).toMatchObject({ rowsIn: 9, rowsOut: 3 })
    expect(await lastGapRecluster(pg.db, org)).toEqual(new Date(T0))
    const { gaps, of } = await byTopic(org)
    expect(gaps).toHaveLength(3)
    ids.gift = of('gift')!.id
    ids.ship = of('ship')!.id
    ids.warranty = of('warranty')!.id
    expect(of('gift')!.cohesion).toBeCloseTo(1, 12)
    // a person accepts shipping (half an hour after the run) and rejects warranty
    await reviewGap(pg.db, org, ids.ship, { status: 'accepted', reviewed_by: null, document_id: newId() })
    await reviewGap(pg.db, org, ids.warranty, { status: 'rejected', reviewed_by: null })
    await pg.db
      .updateTable('knowledge_gaps')
      .set({ reviewed_at: new Date(SHIP_ACCEPTED) })
      .where('id', '=', ids.ship)
      .execute()
  })

  it('an hour later, places only the new questions: grows, keeps, makes a new gap, filters a greeting', async () => {
    const T1 = T0 + H
    const newGift = [
      await failed(org, T0 + 10 * 60_000, 'Quick question: gift wrapping?', 1),
      await failed(org, T0 + 20 * 60_000, 'gift card balance'),
    ]
    await failed(org, T0 + 5 * 60_000, 'ship to Iceland?') // near the accepted gap: its own, not a new one
    await failed(org, T0 + 5 * 60_000, 'warranty extension?') // near the rejected gap: stays there
    for (const q of ['refund my order', 'how do refunds work', 'Hi! refund please'])
      await failed(org, T0 + 30 * 60_000, q) // a new topic
    await failed(org, T0 + 30 * 60_000, 'Hi! Thanks!') // pure filler
    await failed(org, T0 + 40 * 60_000, 'do you take apple pay?') // alone: pending
    const report = await run(org, T1)
    expect(report.rowsIn).toBe(9) // every new failed question, the greeting included
    expect(await lastGapRecluster(pg.db, org)).toEqual(new Date(T0)) // no re-cluster

    const { gaps, of } = await byTopic(org)
    expect(gaps).toHaveLength(4)
    const g = of('gift')!
    expect(g).toMatchObject({
      id: ids.gift,
      status: 'open',
      volume: 5,
      escalations: 1,
      last_seen_at: new Date(T0 + 20 * 60_000),
    })
    expect(g.member_ids).toEqual([...gift, ...newGift])
    // the stored three first, then the new ones (filler removed): most central first, ties by reply id (time)
    expect(g.examples).toEqual([
      'Do you sell gift cards?',
      'gift card for a friend',
      'gift cards for sale?',
      'gift wrapping?',
      'gift card balance',
    ])
    expect(g.score).toBeCloseTo(score(5, 1, T0 + 20 * 60_000, T1), 9)
    expect(of('ship')).toMatchObject({ id: ids.ship, status: 'accepted', volume: 3 })
    expect(of('warranty')).toMatchObject({ id: ids.warranty, status: 'rejected', volume: 3 })
    const refund = of('refund')!
    expect(refund).toMatchObject({ status: 'open', volume: 3, escalations: 0, label: 'Refund my order' })
    expect(refund.score).toBeCloseTo(score(3, 0, T0 + 30 * 60_000, T1), 9)
    expect(of('apple pay')).toBeUndefined()
  })

  it('a run with nothing new changes nothing', async () => {
    const before = await gapsForMatching(pg.db, org)
    const report = await run(org, T0 + 2 * H)
    expect(report).toMatchObject({ rowsIn: 0, rowsOut: 0 })
    expect(await gapsForMatching(pg.db, org)).toEqual(before)
  })

  it('a pending question joins the similar ones that come later (its vector kept, not re-embedded)', async () => {
    let embedded: string[] = []
    const watching: Embedder = {
      ...embedder,
      embed: async (texts) => ((embedded = [...embedded, ...texts]), embedder.embed(texts)),
    }
    await failed(org, T0 + 2 * H + 60_000, 'apple pay accepted?')
    await failed(org, T0 + 2 * H + 120_000, 'paying with apple pay')
    await runJob({ ...deps(), embedder: watching }, knowledgeGaps, {
      organizationId: org,
      now: new Date(T0 + 3 * H),
    })
    expect(embedded).toEqual(['apple pay accepted?', 'paying with apple pay'])
    const { gaps, of } = await byTopic(org)
    expect(gaps).toHaveLength(5)
    expect(of('apple pay')).toMatchObject({ volume: 3, last_seen_at: new Date(T0 + 2 * H + 120_000) })
  })

  it('an accepted gap reopens once three questions came after its acceptance, across runs', async () => {
    // "ship to Iceland?" was asked before the acceptance: it does not count
    await failed(org, T0 + 3 * H + 60_000, 'ship to Japan?')
    await run(org, T0 + 4 * H)
    expect((await byTopic(org)).of('ship')).toMatchObject({ status: 'accepted', volume: 3 })
    await failed(org, T0 + 4 * H + 60_000, 'ship to Peru?')
    await failed(org, T0 + 4 * H + 120_000, 'shipping to Chile?')
    await run(org, T0 + 5 * H)
    const ship = (await byTopic(org)).of('ship')!
    expect(ship).toMatchObject({
      id: ids.ship,
      status: 'open',
      volume: 6,
      last_seen_at: new Date(T0 + 4 * H + 120_000),
    })
    expect(ship.examples).toEqual([
      'do you ship to Norway?',
      'shipping to Canada?',
      'ship abroad?',
      'ship to Japan?',
      'ship to Peru?',
    ])
  })

  it('the day after, re-clusters in full with every id and status kept', async () => {
    const before = await gapsForMatching(pg.db, org)
    const T2 = T0 + DAY
    const report = await run(org, T2)
    expect(await lastGapRecluster(pg.db, org)).toEqual(new Date(T2))
    expect(report.rowsIn).toBe(22) // every failed question of the window but the greeting
    const after = await gapsForMatching(pg.db, org)
    const pick = (g: KnowledgeGap) => [g.id, g.status, g.volume, g.escalations, g.member_ids.length]
    // As the full run has always done: the question the accepted gap kept before its acceptance
    // ("ship to Iceland?") joins it once it is open again. Nothing else moves.
    const expected = before.map(pick).map((p) => (p[0] === ids.ship ? [ids.ship, 'open', 7, 0, 7] : p))
    expect(after.map(pick)).toEqual(expected)
  })
})

describe('incremental and full agree on the fixture', () => {
  it('the same questions, one full run vs a full run then incremental ones: the same gaps', async () => {
    const questions: [number, string][] = [
      [-3 * DAY, 'gift cards?'],
      [-3 * DAY + H, 'gift card for a friend'],
      [-3 * DAY + 2 * H, 'gift cards for sale'],
      [H, 'gift wrapping?'],
      [2 * H, 'refund my order'],
      [2 * H, 'refund status'],
      [3 * H, 'refunds?'],
      [3 * H, 'warranty?'],
    ]
    const summary = (gaps: KnowledgeGap[]) =>
      gaps
        .map((g) => ({ label: g.label, volume: g.volume, examples: [...g.examples].sort() }))
        .sort((a, b) => a.label.localeCompare(b.label))
    const full = newId()
    const inc = newId()
    for (const o of [full, inc])
      await insertOrganization(pg.db, { id: o, name: 'Shop', vertical: 'ecommerce' })
    for (const [at, q] of questions) await failed(full, T0 + at, q)
    await run(full, T0 + 4 * H)
    for (const [at, q] of questions.filter(([at]) => at < 0)) await failed(inc, T0 + at, q)
    await run(inc, T0)
    for (const [i, [at, q]] of questions.filter(([at]) => at > 0).entries()) {
      await failed(inc, T0 + at, q)
      await run(inc, T0 + at + 1 + i) // a run after each question
    }
    expect(summary(await gapsForMatching(pg.db, inc))).toEqual(summary(await gapsForMatching(pg.db, full)))
    // a re-cluster every run is the full behaviour: the same again
    const always = createKnowledgeGaps({ reclusterEveryMs: 0 })
    expect((await run(inc, T0 + 5 * H, always)).rowsIn).toBe(8)
    expect(summary(await gapsForMatching(pg.db, inc))).toEqual(summary(await gapsForMatching(pg.db, full)))
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalProvider } from '@luneo/models'
import {
  chDateTime,
  gapLift as readGapLift,
  getGap,
  insertGap,
  insertOrganization,
  newId,
  reviewGap,
  type ClickHouseHandle,
  type PostgresHandle,
} from '@luneo/warehouse'
import { openTestClickHouse, openTestPostgres } from '@luneo/warehouse/testing'
import { runJob } from '../runner/run.js'
import { topicEmbedder } from '../testing/topic-embedder.js'
import { gapLift } from './gap-lift.job.js'

// The lift of an accepted gap on a hand-made fixture: real Postgres and ClickHouse, the marts the
// job reads seeded by hand, and the topic-word embedder (../testing/topic-embedder.ts), so which
// question falls in the gap is known without a model.

const H = 3600 * 1000
const DAY = 24 * H

let pg: PostgresHandle
let ch: ClickHouseHandle
const org = newId()
const gapId = newId()
let A: number // acceptance, as reviewGap stamped it
const deps = () => ({ db: pg.db, ch: ch.ch, embedder: topicEmbedder, provider: createLocalProvider() })

type Outcome = 'resolved' | 'unresolved' | 'open'
async function ask(at: number, question: string, unanswered: 0 | 1, outcome: Outcome, conv = newId()) {
  await ch.ch.insert({
    table: 'reply_signals_v1',
    values: [
      {
        organization_id: org,
        replied_at: chDateTime(at),
        reply_id: newId(),
        message_id: newId(),
        conversation_id: conv,
        agent_id: newId(),
        question,
        unanswered,
        computed_at: chDateTime(at),
      },
    ],
    format: 'JSONEachRow',
  })
  await ch.ch.insert({
    table: 'conversation_outcomes_v1',
    values: [
      {
        organization_id: org,
        started_at: chDateTime(at),
        conversation_id: conv,
        agent_id: newId(),
        last_activity_at: chDateTime(at),
        status: outcome === 'open' ? 'open' : outcome === 'resolved' ? 'assumed' : 'abandoned',
        closed: outcome === 'open' ? 0 : 1,
        resolved: outcome === 'resolved' ? 1 : 0,
        computed_at: chDateTime(at),
      },
    ],
    format: 'JSONEachRow',
  })
}

const lift = async () => (await readGapLift(ch.ch, { organizationId: org, gapIds: [gapId] }))[0]
const run = (now: number, full = false) =>
  runJob(deps(), gapLift, { organizationId: org, now: new Date(now), full }).then((r) => r[0]!)

beforeAll(async () => {
  pg = await openTestPostgres()
  ch = await openTestClickHouse()
  await insertOrganization(pg.db, { id: org, name: 'Gift shop', vertical: 'ecommerce' })
  await insertGap(pg.db, {
    id: gapId,
    organization_id: org,
    label: 'Do you sell gift cards?',
    score: 3,
    volume: 3,
    escalations: 0,
    last_seen_at: new Date(),
    centroid: [1, 0, 0],
    embedder: topicEmbedder.id,
    examples: ['Do you sell gift cards?'],
    member_ids: [],
    drafted_answer: null,
  })
  await reviewGap(pg.db, org, gapId, { status: 'accepted', reviewed_by: null, document_id: newId() })
  A = (await getGap(pg.db, org, gapId))!.reviewed_at!.getTime()
  // Before acceptance (the 30 days before it): 3 gift questions, 1 answered; 3 closed
  // conversations, 1 resolved. One more 31 days before: outside the window.
  await ask(A - 31 * DAY, 'gift cards?', 1, 'unresolved')
  await ask(A - 3 * DAY, 'do you sell gift cards', 1, 'unresolved')
  await ask(A - 2 * DAY, 'gift card for a friend?', 1, 'unresolved')
  await ask(A - DAY, 'gift wrapping and gift cards', 0, 'resolved')
  await ask(A - 2 * DAY, 'how long does shipping take', 0, 'resolved') // another topic
  // After: 4 gift questions (one behind a "Quick question:" opener), 3 answered; conversations
  // 3 closed (one still open), 2 resolved.
  await ask(A + H, 'can I buy a gift card', 0, 'resolved')
  await ask(A + 2 * H, 'gift card balance', 0, 'open')
  await ask(A + 3 * H, 'gift card expired?', 1, 'unresolved')
  await ask(A + 4 * H, 'Quick question: do you sell gift cards?', 0, 'resolved')
  await ask(A + H, 'shipping to Norway?', 0, 'resolved')
  await ask(A + H, 'thanks!', 0, 'resolved') // pure filler: processed, in no gap
})
afterAll(async () => {
  await ch?.close()
  await pg?.close()
})

describe('gap_lift_v1: answered and resolved rates before vs after acceptance', () => {
  it('computes the hand-counted numbers on the first run (the 30 days before acceptance, then since)', async () => {
    const report = await run(A + DAY)
    expect(report).toMatchObject({ rowsIn: 10, rowsOut: 1 }) // 11 questions, one 31 days old
    expect(await lift()).toMatchObject({
      accepted_at: A,
      before_from: A - 30 * DAY,
      covered_to: A + DAY,
      before_questions: 3,
      before_answered: 1,
      before_closed: 3,
      before_resolved: 1,
      after_questions: 4,
      after_answered: 3,
      after_closed: 3,
      after_resolved: 2,
    })
  })

  it('is incremental: a later run embeds only the new questions and moves the after window', async () => {
    await ask(A + DAY + H, 'gift card in another currency?', 0, 'resolved')
    const report = await run(A + 2 * DAY)
    expect(report.rowsIn).toBe(1)
    expect(await lift()).toMatchObject({
      covered_to: A + 2 * DAY,
      before_questions: 3,
      after_questions: 5,
      after_answered: 4,
      after_closed: 4,
      after_resolved: 3,
    })
  })

  it('is idempotent: a re-run and a full rebuild give the same numbers', async () => {
    const before = await lift()
    expect((await run(A + 2 * DAY)).rowsIn).toBe(0)
    const again = await lift()
    expect({ ...again, computed_at: 0 }).toEqual({ ...before, computed_at: 0 })
    await run(A + 2 * DAY, true)
    expect({ ...(await lift()), computed_at: 0 }).toEqual({ ...before, computed_at: 0 })
  })

  it('a gap of another embedder’s space is left for knowledge_gaps_v1 to re-embed first', async () => {
    const other = { ...deps(), embedder: { ...topicEmbedder, id: 'another-space' } }
    const [r] = await runJob(other, gapLift, { organizationId: org, now: new Date(A + 3 * DAY) })
    expect(r).toMatchObject({ rowsIn: 0, rowsOut: 0 })
  })
})

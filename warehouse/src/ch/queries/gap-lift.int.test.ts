import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../ids.js'
import { openTestClickHouse } from '../../testing.js'
import type { ClickHouseHandle } from '../client.js'
import { chDateTime } from '../time.js'
import { FIXTURE_TIME, outcomeRow, replySignalRow } from './fixture-rows.js'
import { customerQuestions, gapLift, gapLiftCoverage, gapPhaseCounts } from './gap-lift.js'

const DAY = 24 * 3600 * 1000
const T = FIXTURE_TIME // gap G accepted here
const org = newId()
const [G, H] = [newId(), newId()]
let h: ClickHouseHandle

// One reply per question; `conv` names its conversation, `outcome` that conversation's state.
type Outcome = 'resolved' | 'unresolved' | 'open'
const replies: { id: string; at: number; conv: string; unanswered: 0 | 1; gap: string | null }[] = []
const outcomes = new Map<string, Outcome>()
function question(at: number, conv: string, outcome: Outcome, unanswered: 0 | 1, gap: string | null) {
  const id = newId()
  replies.push({ id, at, conv, unanswered, gap })
  outcomes.set(conv, outcome)
  return id
}
const conv = () => newId()

// Hand-computed expectations (G accepted at T, 30 days before it count):
// before: 3 questions (2 unanswered), 3 closed conversations, 1 resolved;
// after: 5 questions (1 unanswered), conversations c4, c5 (resolved), c6 (open: not counted),
//        c7 (two questions, resolved: counted once) → 3 closed, 3 resolved.
question(T - 40 * DAY, conv(), 'unresolved', 1, G) // more than 30 days before: out
question(T - 2 * DAY, conv(), 'unresolved', 1, G)
question(T - 2 * DAY + 1, conv(), 'unresolved', 1, G)
question(T - DAY, conv(), 'resolved', 0, G)
question(T, conv(), 'resolved', 0, G) // at acceptance: after
question(T + DAY, conv(), 'resolved', 0, G)
question(T + DAY, conv(), 'open', 1, G)
const c7 = conv()
question(T + 2 * DAY, c7, 'resolved', 0, G)
question(T + 2 * DAY + 1, c7, 'resolved', 0, G)
question(T + 9 * DAY, conv(), 'resolved', 0, G) // at or after `to`: out
question(T + DAY, conv(), 'resolved', 0, null) // fell in no gap
const moved = question(T + 3 * DAY, conv(), 'unresolved', 1, G) // re-assigned to H below
const TO = T + 9 * DAY

beforeAll(async () => {
  h = await openTestClickHouse()
  const computed = chDateTime(T + 10 * DAY)
  await h.ch.insert({
    table: 'reply_signals_v1',
    values: [
      ...replies.map((r) =>
        replySignalRow(r.at, {
          organization_id: org,
          reply_id: r.id,
          conversation_id: r.conv,
          question: `q ${r.id}`,
          unanswered: r.unanswered,
        }),
      ),
      replySignalRow(T, { question: 'another organization’s', unanswered: 1 }),
    ],
    format: 'JSONEachRow',
  })
  await h.ch.insert({
    table: 'conversation_outcomes_v1',
    values: [...outcomes].map(([id, o]) =>
      outcomeRow(T, {
        organization_id: org,
        conversation_id: id,
        closed: o === 'open' ? 0 : 1,
        resolved: o === 'resolved' ? 1 : 0,
        status: o === 'open' ? 'open' : o === 'resolved' ? 'assumed' : 'abandoned',
      }),
    ),
    format: 'JSONEachRow',
  })
  const assigned = (r: (typeof replies)[number], gap: string | null, at: string) => ({
    organization_id: org,
    replied_at: chDateTime(r.at),
    reply_id: r.id,
    conversation_id: r.conv,
    gap_id: gap,
    similarity: 0.8,
    computed_at: at,
  })
  await h.ch.insert({
    table: 'gap_questions_v1',
    values: replies.map((r) => assigned(r, r.gap, chDateTime(T))),
    format: 'JSONEachRow',
  })
  // a later run put that question in H (accepted after it): the newest row wins
  await h.ch.insert({
    table: 'gap_questions_v1',
    values: [
      assigned(
        replies.find((r) => r.id === moved)!,
        H,
        computed,
      ),
    ],
    format: 'JSONEachRow',
  })
})
afterAll(async () => h?.close())

describe('gap lift queries', () => {
  it('gapPhaseCounts: questions, answered, closed and resolved conversations before and after acceptance', async () => {
    const rows = await gapPhaseCounts(h.ch, {
      organizationId: org,
      gaps: [
        { id: G, acceptedAt: new Date(T) },
        { id: H, acceptedAt: new Date(T + 2 * DAY) },
      ],
      beforeDays: 30,
      to: new Date(TO),
    })
    const of = (gap: string, after: boolean) => rows.find((r) => r.gap_id === gap && r.after === after)
    expect(of(G, false)).toEqual({
      gap_id: G,
      after: false,
      questions: 3,
      answered: 1,
      closed: 3,
      resolved: 1,
    })
    expect(of(G, true)).toEqual({ gap_id: G, after: true, questions: 5, answered: 4, closed: 3, resolved: 3 })
    expect(of(H, false)).toBeUndefined()
    expect(of(H, true)).toEqual({ gap_id: H, after: true, questions: 1, answered: 0, closed: 1, resolved: 0 })
    expect(
      await gapPhaseCounts(h.ch, { organizationId: org, gaps: [], beforeDays: 30, to: new Date(TO) }),
    ).toEqual([])
  })

  it('customerQuestions: every question of the window, or only those no run assigned yet', async () => {
    const window = { organizationId: org, from: new Date(T - 3 * DAY), to: new Date(TO) }
    const all = await customerQuestions(h.ch, { ...window, onlyNew: false })
    expect(all).toHaveLength(10)
    expect(all[0]).toMatchObject({ at: T - 2 * DAY, question: `q ${all[0]!.reply_id}` })
    expect(await customerQuestions(h.ch, { ...window, onlyNew: true })).toEqual([])
    const fresh = replySignalRow(T + 5 * DAY, { organization_id: org, question: 'new one' })
    await h.ch.insert({ table: 'reply_signals_v1', values: [fresh], format: 'JSONEachRow' })
    expect((await customerQuestions(h.ch, { ...window, onlyNew: true })).map((q) => q.question)).toEqual([
      'new one',
    ])
  })

  it('gapLift and gapLiftCoverage read the mart (newest row per gap)', async () => {
    const row = (computedAt: number, afterQuestions: number) => ({
      organization_id: org,
      gap_id: G,
      accepted_at: chDateTime(T),
      before_from: chDateTime(T - 30 * DAY),
      covered_to: chDateTime(computedAt),
      before_questions: 3,
      before_answered: 1,
      before_closed: 3,
      before_resolved: 1,
      after_questions: afterQuestions,
      after_answered: 4,
      after_closed: 3,
      after_resolved: 3,
      computed_at: chDateTime(computedAt),
    })
    await h.ch.insert({ table: 'gap_lift_v1', values: [row(TO - DAY, 4), row(TO, 5)], format: 'JSONEachRow' })
    expect(await gapLiftCoverage(h.ch, { organizationId: org })).toEqual([
      { gap_id: G, accepted_at: T, covered_to: TO },
    ])
    const [lift] = await gapLift(h.ch, { organizationId: org, gapIds: [G, H] })
    expect(lift).toMatchObject({ gap_id: G, accepted_at: T, before_from: T - 30 * DAY, after_questions: 5 })
    expect(await gapLift(h.ch, { organizationId: newId(), gapIds: [G] })).toEqual([])
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../ids.js'
import { openTestClickHouse } from '../../testing.js'
import type { ClickHouseHandle } from '../client.js'
import { FIXTURE_TIME, replySignalRow } from './fixture-rows.js'
import { gapCandidates, insertGapCandidates } from './gap-candidates.js'
import { failedQuestions } from './replies.js'

// What knowledge_gaps_v1 has processed (gap_candidates_v1): the failed questions it has not seen,
// by the processed set and not by time, and the pending or kept ones it reads back.

const MIN = 60_000
const T = FIXTURE_TIME
const org = newId()
const [a, b, c, d] = [newId(), newId(), newId(), newId()]
const gap = newId()
let h: ClickHouseHandle

const candidate = (replyId: string, at: number, gapId: string | null, vector = [0.6, 0.8]) => ({
  replyId,
  conversationId: newId(),
  question: `question ${replyId.slice(-4)}`,
  repliedAt: at,
  escalated: false,
  vector,
  gapId,
})

beforeAll(async () => {
  h = await openTestClickHouse()
  await h.ch.insert({
    table: 'reply_signals_v1',
    values: [
      replySignalRow(T - 30 * MIN, { organization_id: org, reply_id: a, unanswered: 1, question: 'a?' }),
      replySignalRow(T - 20 * MIN, {
        organization_id: org,
        reply_id: b,
        negative_feedback: 1,
        question: 'b?',
      }),
      replySignalRow(T - 10 * MIN, { organization_id: org, reply_id: c, unanswered: 1, question: 'c?' }),
      replySignalRow(T - 5 * MIN, { organization_id: org, reply_id: d, question: 'answered' }),
      replySignalRow(T - 5 * MIN, { organization_id: newId(), unanswered: 1 }),
    ],
    format: 'JSONEachRow',
  })
})
afterAll(async () => h?.close())

describe('gap candidate queries', () => {
  const window = {
    organizationId: org,
    from: new Date(T - 60 * MIN),
    to: new Date(T),
    limit: 10,
    unprocessed: true,
  }

  it('failedQuestions, unprocessed: the failed questions not recorded yet, newest first, whenever they were sent', async () => {
    expect((await failedQuestions(h.ch, window)).map((r) => r.reply_id)).toEqual([c, b, a])
    // b (the newer one) is recorded: the older a, sent before it, is still new
    await insertGapCandidates(h.ch, {
      organizationId: org,
      embedder: 'e1',
      rows: [candidate(b, T - 20 * MIN, null)],
    })
    expect((await failedQuestions(h.ch, window)).map((r) => r.reply_id)).toEqual([c, a])
    expect(await failedQuestions(h.ch, { ...window, limit: 1 })).toHaveLength(1)
  })

  const inE1 = (which: { pending: true } | { gapIds: string[] }) =>
    gapCandidates(h.ch, {
      organizationId: org,
      from: new Date(T - 60 * MIN),
      embedder: 'e1',
      limit: 10,
      ...which,
    })

  it('gapCandidates: pending or kept by given gaps, in the embedder’s space; a later row replaces', async () => {
    await insertGapCandidates(h.ch, {
      organizationId: org,
      embedder: 'e1',
      rows: [candidate(a, T - 30 * MIN, gap), candidate(c, T - 10 * MIN, null, [0.1234567, 1])],
    })
    await insertGapCandidates(h.ch, {
      organizationId: org,
      embedder: 'e2',
      rows: [candidate(d, T - 5 * MIN, null)],
    })
    const pending = await inE1({ pending: true })
    expect(pending.map((r) => [r.reply_id, r.gap_id])).toEqual([
      [c, null],
      [b, null],
    ])
    // kept as Float32 (~7 significant digits)
    expect(pending[0]!.vector).toHaveLength(2)
    expect(pending[0]!.vector[0]).toBeCloseTo(0.1234567, 6)
    expect(pending[0]!.vector[1]).toBe(1)
    const kept = await inE1({ gapIds: [gap] })
    expect(kept.map((r) => [r.reply_id, r.gap_id, r.question, r.at])).toEqual([
      [a, gap, `question ${a.slice(-4)}`, T - 30 * MIN],
    ])
    // b joins the gap in a later run: its newer row replaces the pending one (the later insert wins
    // a tie of computed_at too)
    await insertGapCandidates(h.ch, {
      organizationId: org,
      embedder: 'e1',
      rows: [candidate(b, T - 20 * MIN, gap)],
    })
    const after = await inE1({ pending: true })
    expect(after.map((r) => r.reply_id)).toEqual([c])
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../ids.js'
import { openTestClickHouse } from '../../testing.js'
import type { ClickHouseHandle } from '../client.js'
import { chDateTime } from '../time.js'
import { FIXTURE_TIME, outcomeRow, replySignalRow } from './fixture-rows.js'
import { conversationsOfReplies, failedQuestions, questionsOfReplies } from './replies.js'

const MIN = 60_000
const T = FIXTURE_TIME
const org = newId()
let h: ClickHouseHandle

const reply = (at: number, r: Record<string, unknown> = {}) =>
  replySignalRow(at, { organization_id: org, ...r })

const recomputed = newId()
const [u, n] = [newId(), newId()]
const [cu, cn] = [newId(), newId()]
/** u's signal: an unanswered question in conversation cu. */
const uSignal = (r: Record<string, unknown> = {}) =>
  reply(T - 10 * MIN, {
    question: 'do you ship to Norway?',
    unanswered: 1,
    reply_id: u,
    conversation_id: cu,
    ...r,
  })

beforeAll(async () => {
  h = await openTestClickHouse()
  await h.ch.insert({
    table: 'reply_signals_v1',
    values: [
      uSignal(),
      reply(T - 5 * MIN, {
        question: 'refund?',
        negative_feedback: 1,
        escalated_after: 1,
        reply_id: n,
        conversation_id: cn,
      }),
      reply(T - 4 * MIN), // answered well
      reply(T - 3 * MIN, { question: '', unanswered: 1 }), // no question text
      reply(T - 3 * 24 * 60 * MIN, { unanswered: 1 }), // before the window
      reply(T - 2 * MIN, { unanswered: 1, organization_id: newId() }),
      reply(T - 1 * MIN, { unanswered: 1, reply_id: recomputed }),
    ],
    format: 'JSONEachRow',
  })
  // a later run recomputed that last reply as answered: FINAL keeps only the newest version
  await h.ch.insert({
    table: 'reply_signals_v1',
    values: [reply(T - 1 * MIN, { reply_id: recomputed, computed_at: chDateTime(T + MIN) })],
    format: 'JSONEachRow',
  })
})
afterAll(async () => h?.close())

describe('reply signal queries', () => {
  const window = { organizationId: org, from: new Date(T - 60 * MIN), to: new Date(T) }

  it('failedQuestions: the failed questions of the window, newest first, parsed', async () => {
    expect(await failedQuestions(h.ch, { ...window, limit: 10 })).toEqual([
      { reply_id: n, conversation_id: cn, question: 'refund?', at: T - 5 * MIN, escalated_after: true },
      {
        reply_id: u,
        conversation_id: cu,
        question: 'do you ship to Norway?',
        at: T - 10 * MIN,
        escalated_after: false,
      },
    ])
    expect(await failedQuestions(h.ch, { ...window, limit: 1 })).toHaveLength(1)
  })

  it('questionsOfReplies: the questions of these replies in this organization, by reply id', async () => {
    const rows = await questionsOfReplies(h.ch, { organizationId: org, replyIds: [u, n, newId()] })
    expect(rows.sort((a, b) => a.question.localeCompare(b.question))).toEqual([
      { reply_id: u, question: 'do you ship to Norway?' },
      { reply_id: n, question: 'refund?' },
    ])
    expect(await questionsOfReplies(h.ch, { organizationId: newId(), replyIds: [u] })).toEqual([])
    expect(await questionsOfReplies(h.ch, { organizationId: org, replyIds: [] })).toEqual([])
  })

  it('conversationsOfReplies: each reply once with its conversation and start, however many versions the marts hold', async () => {
    // Three versions of the outcome of cu (recomputed twice), two of u's signal (the `recomputed`
    // reply above has two too), cn with no outcome yet (left out), and another organization's
    // outcome for the same conversation id (never read).
    const started = T - 12 * MIN
    await h.ch.insert({
      table: 'conversation_outcomes_v1',
      values: [1, 2, 3].map((v) =>
        outcomeRow(started, {
          organization_id: org,
          conversation_id: cu,
          computed_at: chDateTime(T + v * MIN),
        }),
      ),
      format: 'JSONEachRow',
    })
    await h.ch.insert({
      table: 'conversation_outcomes_v1',
      values: [outcomeRow(T - 30 * MIN, { conversation_id: cu })],
      format: 'JSONEachRow',
    })
    await h.ch.insert({
      table: 'reply_signals_v1',
      values: [uSignal({ computed_at: chDateTime(T + 5 * MIN) })],
      format: 'JSONEachRow',
    })
    const rows = await conversationsOfReplies(h.ch, { organizationId: org, replyIds: [u, n, newId()] })
    expect(rows).toEqual([
      { reply_ref: u, conversation_ref: cu, started_at: new Date(started).toISOString() },
    ])
    expect(await conversationsOfReplies(h.ch, { organizationId: newId(), replyIds: [u] })).toEqual([])
  })
})

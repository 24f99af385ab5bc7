import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../ids.js'
import { openTestClickHouse } from '../../testing.js'
import type { ClickHouseHandle } from '../client.js'
import { chDateTime } from '../time.js'
import { failedQuestions, hasFailedRepliesSince } from './replies.js'

const MIN = 60_000
const T = Date.UTC(2025, 0, 15, 12)
const org = newId()
let h: ClickHouseHandle

interface Reply {
  at: number
  question?: string
  unanswered?: number
  negative?: number
  escalated?: number
  organizationId?: string
  replyId?: string
  computedAt?: number
}
const reply = (r: Reply) => ({
  organization_id: r.organizationId ?? org,
  replied_at: chDateTime(r.at),
  reply_id: r.replyId ?? newId(),
  message_id: newId(),
  conversation_id: newId(),
  agent_id: newId(),
  vertical: 'ecommerce',
  channel: 'api',
  intent: 'order_status',
  question: r.question ?? 'where is my order?',
  unanswered: r.unanswered ?? 0,
  negative_feedback: r.negative ?? 0,
  escalated_after: r.escalated ?? 0,
  computed_at: chDateTime(r.computedAt ?? T),
})

const recomputed = newId()
const [u, n] = [newId(), newId()]

beforeAll(async () => {
  h = await openTestClickHouse()
  await h.ch.insert({
    table: 'reply_signals_v1',
    values: [
      reply({ at: T - 10 * MIN, question: 'do you ship to Norway?', unanswered: 1, replyId: u }),
      reply({ at: T - 5 * MIN, question: 'refund?', negative: 1, escalated: 1, replyId: n }),
      reply({ at: T - 4 * MIN }), // answered well
      reply({ at: T - 3 * MIN, question: '', unanswered: 1 }), // no question text
      reply({ at: T - 3 * 24 * 60 * MIN, unanswered: 1 }), // before the window
      reply({ at: T - 2 * MIN, unanswered: 1, organizationId: newId() }),
      reply({ at: T - 1 * MIN, unanswered: 1, replyId: recomputed }),
    ],
    format: 'JSONEachRow',
  })
  // a later run recomputed that last reply as answered: FINAL keeps only the newest version
  await h.ch.insert({
    table: 'reply_signals_v1',
    values: [reply({ at: T - 1 * MIN, replyId: recomputed, computedAt: T + MIN })],
    format: 'JSONEachRow',
  })
})
afterAll(async () => h?.close())

describe('reply signal queries', () => {
  const window = { organizationId: org, from: new Date(T - 60 * MIN), to: new Date(T) }

  it('failedQuestions: the failed questions of the window, newest first, parsed', async () => {
    expect(await failedQuestions(h.ch, { ...window, limit: 10 })).toEqual([
      { reply_id: n, question: 'refund?', at: T - 5 * MIN, escalated_after: true },
      { reply_id: u, question: 'do you ship to Norway?', at: T - 10 * MIN, escalated_after: false },
    ])
    expect(await failedQuestions(h.ch, { ...window, limit: 1 })).toHaveLength(1)
  })

  it('hasFailedRepliesSince: true while a failed reply is newer than `since`', async () => {
    expect(await hasFailedRepliesSince(h.ch, { organizationId: org, since: new Date(T - 6 * MIN) })).toBe(
      true,
    )
    // after T-3 min only the recomputed (now answered) reply and another organization's remain
    expect(await hasFailedRepliesSince(h.ch, { organizationId: org, since: new Date(T - 150_000) })).toBe(
      false,
    )
  })
})

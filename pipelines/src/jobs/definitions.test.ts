import { describe, expect, it } from 'vitest'
import type { ConvEvent } from './conversation-events.js'
import { conversationOutcome, replySignals } from './definitions.js'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const settings = { resolutionWindowMs: 24 * HOUR, durableWindowMs: 7 * DAY }
let n = 0
const ev = (type: string, at: number, payload: Record<string, unknown> = {}): ConvEvent => ({
  id: `e${++n}`,
  type,
  occurredAt: at,
  conversationId: 'c1',
  agentId: 'a1',
  vertical: 'ecommerce',
  payload,
})
const msg = (at: number, id: string, text: string) => ev('message.received', at, { messageId: id, text })
const reply = (at: number, id: string, to: string, grounded: boolean, extra: Record<string, unknown> = {}) =>
  ev('reply.sent', at, {
    messageId: id,
    replyToId: to,
    grounded,
    intent: 'order_status',
    topScore: grounded ? 0.8 : 0.1,
    costUsd: 0.001,
    latencyMs: 40,
    escalated: false,
    ...extra,
  })
const sameWords = (a: string, b: string) => (a.split(' ')[0] === b.split(' ')[0] ? 0.9 : 0.1)

describe('learning signals, by hand', () => {
  it('unanswered + rephrase + abandonment on a fixture', () => {
    const events = [
      ev('conversation.started', 0, { channel: 'api' }),
      msg(1 * MIN, 'm1', 'refund status please'),
      reply(1 * MIN + 1, 'r1', 'm1', false),
      msg(3 * MIN, 'm2', 'refund where is it'), // rephrase of m1 within 10 min
      reply(3 * MIN + 1, 'r2', 'm2', true),
      msg(30 * MIN, 'm3', 'thanks, another thing'),
      reply(30 * MIN + 1, 'r3', 'm3', false), // unanswered, then silence
    ]
    const s = replySignals(events, 2 * HOUR, sameWords)
    expect(s.map((x) => [x.replyId, x.unanswered, x.rephrase, x.abandoned])).toEqual([
      ['r1', true, true, false], // customer came back
      ['r2', false, false, false], // next message not similar
      ['r3', true, false, true], // unanswered and 90 min of silence
    ])
    expect(s[0]!.question).toBe('refund status please')
  })

  it('negative feedback and escalation attach to the reply they follow', () => {
    const events = [
      msg(0, 'm1', 'hello'),
      reply(1, 'r1', 'm1', true),
      ev('feedback.submitted', 2, { rating: 'negative', csat: 1 }),
      msg(3, 'm2', 'agent please'),
      reply(4, 'r2', 'm2', true, { escalated: true }),
      ev('conversation.escalated', 4, { reason: 'asked', messageId: 'r2' }),
    ]
    const s = replySignals(events, DAY, sameWords)
    expect(s.map((x) => [x.negativeFeedback, x.escalatedAfter])).toEqual([
      [true, false],
      [false, true],
    ])
  })

  it('a hand-off recorded as an outcome escalates the reply it follows, as the outcome counts it', () => {
    const events = [
      msg(0, 'm1', 'gift wrap?'),
      reply(1, 'r1', 'm1', false),
      ev('outcome.recorded', 2, { type: 'handoff' }),
      msg(3, 'm2', 'thanks'),
      reply(4, 'r2', 'm2', true),
      ev('outcome.recorded', 5, { type: 'purchase', amount: 20 }),
    ]
    expect(replySignals(events, DAY, sameWords).map((x) => x.escalatedAfter)).toEqual([true, false])
  })

  it('a question and its reply stamped at the same instant: the question is not its own rephrase', () => {
    const events = [msg(5, 'm1', 'refund please'), reply(5, 'r1', 'm1', true)]
    expect(replySignals(events, HOUR, sameWords)[0]).toMatchObject({
      rephrase: false,
      question: 'refund please',
    })
  })

  it('abandonment waits 30 minutes', () => {
    const events = [msg(0, 'm1', 'x'), reply(1, 'r1', 'm1', false)]
    expect(replySignals(events, 29 * MIN, sameWords)[0]!.abandoned).toBe(false)
    expect(replySignals(events, 31 * MIN, sameWords)[0]!.abandoned).toBe(true)
  })
})

describe('conversation outcomes, by hand', () => {
  const base = [
    ev('conversation.started', 0, { channel: 'widget' }),
    msg(1, 'm1', 'where is my order'),
    reply(2, 'r1', 'm1', true),
  ]

  it('confirmed: positive feedback, and durable only after 7 quiet days', () => {
    const events = [...base, ev('feedback.submitted', 3, { rating: 'positive', csat: 5 })]
    const now3d = conversationOutcome(events, 3 * DAY, settings)
    expect(now3d).toMatchObject({
      status: 'confirmed',
      confirmed: true,
      assumed: false,
      resolved: true,
      durable: false,
      csat: 5,
      channel: 'widget',
    })
    expect(conversationOutcome(events, 8 * DAY, settings)).toMatchObject({ durable: true, reopened: false })
  })

  it('assumed: grounded last reply and no return within 24 h; open before that', () => {
    expect(conversationOutcome(base, 23 * HOUR, settings)).toMatchObject({
      status: 'open',
      closed: false,
      assumed: false,
    })
    expect(conversationOutcome(base, 25 * HOUR, settings)).toMatchObject({
      status: 'assumed',
      assumed: true,
      resolved: true,
    })
  })

  it('reopened within 7 days: resolved stays counted, durable is deducted', () => {
    const events = [
      ...base,
      ev('feedback.submitted', 3, { rating: 'positive' }),
      msg(2 * DAY, 'm2', 'it broke again'),
    ]
    expect(conversationOutcome(events, 10 * DAY, settings)).toMatchObject({
      confirmed: true,
      reopened: true,
      durable: false,
    })
  })

  it('handed off wins over everything, with its reason', () => {
    const events = [
      ...base,
      ev('conversation.escalated', 3, { reason: 'sentiment' }),
      ev('feedback.submitted', 4, { rating: 'positive', csat: 4 }),
    ]
    expect(conversationOutcome(events, 2 * DAY, settings)).toMatchObject({
      status: 'handed_off',
      handoffReason: 'sentiment',
      resolved: false,
      confirmed: false,
      csat: 4,
    })
  })

  it('abandoned: ended on an unanswered reply', () => {
    const events = [ev('conversation.started', 0), msg(1, 'm1', 'q'), reply(2, 'r1', 'm1', false)]
    expect(conversationOutcome(events, HOUR, settings)).toMatchObject({
      status: 'abandoned',
      abandoned: true,
      resolved: false,
    })
  })

  it('money: purchases and leads summed, cost from replies', () => {
    const events = [
      ...base,
      ev('outcome.recorded', 5, { type: 'purchase', amount: 120.5 }),
      ev('outcome.recorded', 6, { type: 'purchase', amount: 79.5 }),
      ev('outcome.recorded', 7, { type: 'lead', amount: 1000 }),
    ]
    expect(conversationOutcome(events, 2 * DAY, settings)).toMatchObject({
      purchases: 2,
      purchaseAmount: 200,
      leads: 1,
      leadValue: 1000,
      costUsd: 0.001,
      replies: 1,
    })
  })
})

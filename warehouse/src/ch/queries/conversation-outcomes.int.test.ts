import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../ids.js'
import { openTestClickHouse } from '../../testing.js'
import type { ClickHouseHandle } from '../client.js'
import { chDateTime } from '../time.js'
import {
  resolvedConversations,
  streamResolvedConversations,
  unjudgedClosedConversations,
  variantOutcomes,
} from './conversation-outcomes.js'
import { FIXTURE_TIME, outcomeRow } from './fixture-rows.js'

const MIN = 60_000
const T = FIXTURE_TIME
const org = newId()
const agent = newId()
const experiment = newId()
const [va, vb] = [newId(), newId()]
let h: ClickHouseHandle

const ids: string[] = []
/** An outcome of `agent` in `org`, its id kept in `ids` (in order), with a verdict-free default. */
const outcome = (at: number, variant: string | null, o: Record<string, unknown> = {}) => {
  const row = outcomeRow(at, {
    organization_id: org,
    agent_id: agent,
    experiment_id: variant ? experiment : null,
    variant_id: variant,
    last_activity_at: chDateTime(at + MIN),
    replies: 3,
    unanswered_replies: 1,
    purchase_amount: 12.5,
    cost_usd: 0.002,
    ...o,
  })
  ids.push(row.conversation_id)
  return row
}

beforeAll(async () => {
  h = await openTestClickHouse()
  await h.ch.insert({
    table: 'conversation_outcomes_v1',
    values: [
      outcome(T - 50 * MIN, va, { resolved: 1, confirmed: 1, status: 'confirmed', csat: 5 }), // ids[0]
      outcome(T - 40 * MIN, va, { resolved: 1, confirmed: 1, status: 'confirmed', csat: 4 }), // ids[1]
      outcome(T - 30 * MIN, va, { handed_off: 1, status: 'handed_off', handoff_reason: 'asked' }), // ids[2]
      outcome(T - 20 * MIN, vb, { closed: 0, status: 'open' }), // ids[3], open: not scored
      outcome(T - 10 * MIN, vb, { csat: 2, channel: 'widget' }), // ids[4]
    ],
    format: 'JSONEachRow',
  })
  await h.ch.insert({
    table: 'conversation_verdicts_v1',
    values: [
      // judged_at as the judge writes it: a row left at the epoch default is past the table's TTL.
      {
        organization_id: org,
        conversation_id: ids[0],
        verified: 1,
        reason: 'answered',
        model: 'm',
        judged_at: chDateTime(T),
      },
      {
        organization_id: org,
        conversation_id: ids[2],
        verified: 0,
        reason: 'gave up',
        model: 'm',
        judged_at: chDateTime(T),
      },
    ],
    format: 'JSONEachRow',
  })
})
afterAll(async () => h?.close())

describe('conversation outcome queries', () => {
  it('variantOutcomes: closed conversations per variant', async () => {
    const rows = await variantOutcomes(h.ch, { organizationId: org, experimentId: experiment })
    expect(rows.sort((x, y) => (x.variant_id === va ? -1 : y.variant_id === va ? 1 : 0))).toEqual([
      { variant_id: va, n: 3, resolved: 2, handed_off: 1, mean_csat: 4.5, csat_count: 2 },
      { variant_id: vb, n: 1, resolved: 0, handed_off: 0, mean_csat: 2, csat_count: 1 },
    ])
  })

  it('unjudgedClosedConversations: closed in the window and not judged yet', async () => {
    const got = await unjudgedClosedConversations(h.ch, {
      organizationId: org,
      from: new Date(T - 60 * MIN),
      to: new Date(T),
    })
    // ORDER BY conversation_id follows ClickHouse's UUID order, which is not the text order
    expect(got.sort()).toEqual([ids[1]!, ids[4]!].sort())
  })

  const range = { organizationId: org, from: new Date(T - 60 * MIN), to: new Date(T) }

  it('resolvedConversations: newest first, with the verdict, keyset-paginated', async () => {
    const page = await resolvedConversations(h.ch, { ...range, limit: 2 })
    expect(page.map((r) => r.conversation_ref)).toEqual([ids[4], ids[3]])
    expect(page[0]).toEqual({
      conversation_ref: ids[4],
      agent_ref: agent,
      channel: 'widget',
      intent: 'order_status',
      started_at: new Date(T - 10 * MIN).toISOString(),
      last_activity_at: new Date(T - 9 * MIN).toISOString(),
      status: 'abandoned',
      resolved: false,
      confirmed: false,
      assumed: false,
      durable: false,
      handed_off: false,
      handoff_reason: '',
      csat: 2,
      replies: 3,
      unanswered_replies: 1,
      purchase_amount: 12.5,
      cost_usd: 0.002,
      verdict: null,
      verdict_reason: null,
    })
    const last = page[1]!
    const next = await resolvedConversations(h.ch, {
      ...range,
      limit: 10,
      before: { startedAt: last.started_at, id: last.conversation_ref },
    })
    expect(next.map((r) => [r.conversation_ref, r.verdict, r.verdict_reason])).toEqual([
      [ids[2], false, 'gave up'],
      [ids[1], null, null],
      [ids[0], true, 'answered'],
    ])
    const filtered = await resolvedConversations(h.ch, { ...range, resolved: true, minCsat: 5 })
    expect(filtered.map((r) => r.conversation_ref)).toEqual([ids[0]])
  })

  it('streamResolvedConversations: the same rows, as they arrive', async () => {
    const streamed = []
    for await (const r of await streamResolvedConversations(h.ch, { ...range, channel: 'api' }))
      streamed.push(r)
    expect(streamed).toEqual(await resolvedConversations(h.ch, { ...range, channel: 'api' }))
    expect(streamed).toHaveLength(4)
  })
})

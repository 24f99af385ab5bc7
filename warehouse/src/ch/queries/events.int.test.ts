import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../ids.js'
import { openTestClickHouse } from '../../testing.js'
import type { ClickHouseHandle } from '../client.js'
import { chDateTime } from '../time.js'
import {
  activeConversationIds,
  conversationEvents,
  eventsOfConversations,
  newestEventPart,
} from './events.js'
import { ClickHouseRowError } from './rows.js'

const MIN = 60_000
const T = Date.UTC(2025, 0, 15, 12)
const org = newId()
const agent = newId()
const [a, b, c] = [newId(), newId(), newId()]
let h: ClickHouseHandle

function event(conv: string, at: number, o: { ingestedAt?: number; organizationId?: string } = {}) {
  return {
    id: newId(),
    type: 'message.received',
    version: 1,
    organization_id: o.organizationId ?? org,
    occurred_at: chDateTime(at),
    conversation_id: conv,
    contact_id: null,
    agent_id: conv === c ? null : agent,
    vertical: 'ecommerce',
    correlation_id: 'x',
    payload: JSON.stringify({ text: `at ${at}` }),
    ingested_at: chDateTime(o.ingestedAt ?? at),
  }
}

beforeAll(async () => {
  h = await openTestClickHouse()
})
afterAll(async () => h?.close())

describe('events queries', () => {
  it('newestEventPart stays put while nothing arrives and changes when events arrive', async () => {
    const before = await newestEventPart(h.ch)
    expect(await newestEventPart(h.ch)).toBe(before)
    const first = event(a, T - 30 * MIN)
    await h.ch.insert({ table: 'events', values: [first], format: 'JSONEachRow' })
    const after = await newestEventPart(h.ch)
    expect(after).not.toBe(before)
    expect(after).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d+$/)
    // the rest of the fixture: a redelivered copy of `first`, a later event of `a`, one after the
    // window; `b` only before the window; `c` before it but ingested inside (a late event); another org
    await h.ch.insert({
      table: 'events',
      values: [
        first,
        event(a, T - 10 * MIN),
        event(a, T + 2 * 60 * MIN),
        event(b, T - 3 * 24 * 60 * MIN),
        event(c, T - 3 * 24 * 60 * MIN, { ingestedAt: T - 5 * MIN }),
        event(a, T - 20 * MIN, { organizationId: newId() }),
      ],
      format: 'JSONEachRow',
    })
  })

  it('conversationEvents: the conversations active in the window, every event once, parsed', async () => {
    const rows = await conversationEvents(h.ch, {
      organizationId: org,
      from: new Date(T - 60 * MIN),
      to: new Date(T + 60 * MIN),
    })
    // by conversation (ClickHouse's UUID order, not the text order), then time
    const byConversation = rows.map((r) => ({ conv: r.conv, at: r.at, agent: r.agent }))
    const ofA = [
      { conv: a, at: T - 30 * MIN, agent },
      { conv: a, at: T - 10 * MIN, agent },
    ]
    const ofC = [{ conv: c, at: T - 3 * 24 * 60 * MIN, agent: null }]
    expect([
      [...ofA, ...ofC],
      [...ofC, ...ofA],
    ]).toContainEqual(byConversation)
    expect(rows[0]).toMatchObject({ type: 'message.received', vertical: 'ecommerce' })
    expect(rows.find((r) => r.at === T - 10 * MIN)?.payload).toEqual({ text: `at ${T - 10 * MIN}` })
  })

  it('activeConversationIds and eventsOfConversations split conversationEvents in two', async () => {
    const p = { organizationId: org, from: new Date(T - 60 * MIN), to: new Date(T + 60 * MIN) }
    const whole = await conversationEvents(h.ch, p)
    const ids = await activeConversationIds(h.ch, p)
    expect(ids.sort()).toEqual([a, c].sort())
    const split = await eventsOfConversations(h.ch, { organizationId: org, conversationIds: ids, to: p.to })
    expect(split).toEqual(whole)
    expect(await eventsOfConversations(h.ch, { organizationId: org, conversationIds: [], to: p.to })).toEqual(
      [],
    )
  })

  it('a row whose payload is not a JSON object is refused, not passed on', async () => {
    const conv = newId()
    const bad = { ...event(conv, T - 5 * MIN), payload: '[1,2]' }
    await h.ch.insert({ table: 'events', values: [bad], format: 'JSONEachRow' })
    const p = { organizationId: org, from: new Date(T - 6 * MIN), to: new Date(T - 4 * MIN) }
    await expect(conversationEvents(h.ch, p)).rejects.toThrow(ClickHouseRowError)
    await expect(conversationEvents(h.ch, p)).rejects.toThrow(/payload: expected a JSON object/)
  })
})

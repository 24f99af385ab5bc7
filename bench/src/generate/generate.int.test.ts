import { hashPassword } from '@luneo/api'
import { startTestApp, type TestApp } from '@luneo/api/testing'
import { eventRegistry } from '@luneo/ingest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BENCH_OWNER_PASSWORD } from './cli.js'
import { generateDataSet, type DataSetSummary } from './generate.js'

// The scale benchmark's data generator at a small size, on the real stores the API serves from
// (PGlite + chDB): the data set is well formed, and the analytics endpoints agree with it.

const DAY = 24 * 3600 * 1000
const EVENTS = 20_000
let t: TestApp
let summary: DataSetSummary

beforeAll(async () => {
  t = await startTestApp()
  summary = await generateDataSet(
    { db: t.deps.db, ch: t.deps.ch },
    { events: EVENTS, seed: 42, organizations: 12, passwordHash: await hashPassword(BENCH_OWNER_PASSWORD) },
  )
}, 600_000)
afterAll(async () => t?.close())

async function rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const rs = await t.deps.ch.query({ query, query_params: params, format: 'JSONEachRow' })
  return rs.json<T>()
}

describe('luneo bench generate, 20k events', () => {
  it('writes exactly the events asked for, each one valid in the event registry', async () => {
    expect(summary.events).toBe(EVENTS)
    const events = await rows<Record<string, string | number | null>>(
      `SELECT toString(id) AS id, type, version, toString(organization_id) AS organizationId,
              formatDateTime(occurred_at, '%Y-%m-%dT%H:%i:%S.%fZ') AS occurredAt,
              toString(conversation_id) AS conversationId, toString(contact_id) AS contactId,
              toString(agent_id) AS agentId, vertical, correlation_id AS correlationId, payload
       FROM events`,
    )
    expect(events).toHaveLength(EVENTS)
    expect(new Set(events.map((e) => e.id)).size).toBe(EVENTS)
    const refused = events
      .map((e) =>
        eventRegistry.decode(
          JSON.stringify({
            ...e,
            occurredAt: String(e.occurredAt).replace(/(\.\d{3})\d*Z$/, '$1Z'),
            payload: JSON.parse(String(e.payload)),
          }),
        ),
      )
      .filter((d) => !d.ok)
    expect(refused.slice(0, 3)).toEqual([])
    const types = new Set(events.map((e) => e.type))
    for (const type of [
      'conversation.started',
      'message.received',
      'reply.sent',
      'feedback.submitted',
      'outcome.recorded',
      'conversation.escalated',
      'action.executed',
    ])
      expect(types, type).toContain(type)
  })

  it('spreads them over the organizations as the summary says, every vertical, 60–365 days each', async () => {
    const perOrg = await rows<{ org: string; n: string; conversations: string; first: string; last: string }>(
      `SELECT toString(organization_id) AS org, count() AS n, uniqExact(conversation_id) AS conversations,
              toUnixTimestamp64Milli(min(occurred_at)) AS first, toUnixTimestamp64Milli(max(occurred_at)) AS last
       FROM events GROUP BY organization_id`,
    )
    expect(perOrg).toHaveLength(12)
    const until = Date.parse(summary.until)
    for (const o of summary.organizations) {
      const got = perOrg.find((r) => r.org === o.id)!
      expect(Number(got.n), o.id).toBe(o.events)
      expect(Number(got.conversations), o.id).toBe(o.conversations)
      expect(o.historyDays).toBeGreaterThanOrEqual(60)
      expect(o.historyDays).toBeLessThanOrEqual(365)
      expect(Number(got.first)).toBeGreaterThanOrEqual(until - o.historyDays * DAY)
      expect(Number(got.last)).toBeLessThan(until)
      // Conversations start uniformly over the history: with hundreds, they cover nearly all of it.
      if (o.conversations >= 300)
        expect(Number(got.last) - Number(got.first)).toBeGreaterThan(0.9 * o.historyDays * DAY)
    }
    expect(new Set(summary.organizations.map((o) => o.vertical))).toEqual(
      new Set(['ecommerce', 'real_estate', 'accounting', 'medical']),
    )
    // A few large tenants and a long tail.
    const sizes = summary.organizations.map((o) => o.events).sort((a, b) => b - a)
    expect(sizes[0]!).toBeGreaterThan(3 * sizes.at(-1)!)
  })

  it('serves numbers through the analytics endpoints that match the data set', async () => {
    const biggest = [...summary.organizations].sort((a, b) => b.events - a.events)[0]!
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: biggest.email, password: BENCH_OWNER_PASSWORD },
    })
    expect(login.statusCode, login.body).toBe(200)
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
    const range = `from=${new Date(Date.parse(summary.until) - 366 * DAY).toISOString()}&to=${summary.until}`
    const get = async (path: string) => {
      const r = await t.app.inject({ method: 'GET', url: `/api/v1/analytics/${path}`, headers: { cookie } })
      expect(r.statusCode, r.body).toBe(200)
      return r
    }
    const total = (await get(`query?measures=conversations&${range}`)).json().rows[0].conversations
    expect(total).toBe(biggest.conversations)
    const byMonth = (await get(`query?measures=conversations&dimensions=month&${range}`)).json().rows
    expect(byMonth.reduce((n: number, r: { conversations: number }) => n + r.conversations, 0)).toBe(total)
    const roi = (await get(`roi?granularity=month&${range}`)).json()
    expect(roi.totals.conversations).toBe(total)

    const [replies] = await rows<{ n: string }>(
      "SELECT count() AS n FROM events WHERE organization_id = {org:UUID} AND type = 'reply.sent'",
      { org: biggest.id },
    )
    expect((await get(`signals?${range}`)).json().totals.replies).toBe(Number(replies!.n))
    const csv = (await get(`conversations/resolved/export.csv?${range}`)).body.trimEnd().split('\r\n')
    const resolved = (await get(`query?measures=ai_resolved&${range}`)).json().rows[0].ai_resolved
    expect(csv.length - 1).toBeGreaterThan(0)
    expect(resolved).toBeGreaterThan(0)
  })
})

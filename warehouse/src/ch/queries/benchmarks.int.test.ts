import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../ids.js'
import { openTestClickHouse } from '../../testing.js'
import type { ClickHouseHandle } from '../client.js'
import { chDateTime } from '../time.js'
import { FIXTURE_TIME, outcomeRow, replySignalRow } from './fixture-rows.js'
import { latestVerticalBenchmarks, organizationBenchmarkValues, organizationMetrics } from './benchmarks.js'

const DAY = 24 * 3600 * 1000
const T = FIXTURE_TIME
const [big, small] = [newId(), newId()].sort() as [string, string]
let h: ClickHouseHandle

const outcome = (org: string, i: number, o: { resolved: number; handed_off: number; csat: number | null }) =>
  outcomeRow(T - DAY + i * 60_000, {
    organization_id: org,
    intent: i % 3 === 0 ? 'returns' : 'order_status',
    ...o,
  })
const benchmark = (day: string, metric: string, median: number | null) => ({
  vertical: 'ecommerce',
  period_day: day,
  metric,
  period_start: chDateTime(Date.parse(`${day}T00:00:00Z`) - 30 * DAY),
  period_end: `${day} 00:00:00.000`,
  organizations: 5,
  published: median === null ? 0 : 1,
  p25: median,
  median,
  p75: median,
  computed_at: chDateTime(T),
})

beforeAll(async () => {
  h = await openTestClickHouse()
  await h.ch.insert({
    table: 'conversation_outcomes_v1',
    values: [
      // `big`: 6 closed, 3 resolved, 1 handed off, CSAT 4 and 5; `small`: 2 closed (below minClosed)
      ...[0, 1, 2, 3, 4, 5].map((i) =>
        outcome(big, i, { resolved: Number(i < 3), handed_off: Number(i === 3), csat: [4, 5][i] ?? null }),
      ),
      ...[0, 1].map((i) => outcome(small, i, { resolved: 1, handed_off: 0, csat: null })),
    ],
    format: 'JSONEachRow',
  })
  await h.ch.insert({
    table: 'reply_signals_v1',
    values: [100, 300, 900].map((latency_ms, i) =>
      replySignalRow(T - DAY + i * 1000, { organization_id: big, latency_ms }),
    ),
    format: 'JSONEachRow',
  })
  await h.ch.insert({
    table: 'vertical_benchmarks_v1',
    values: [
      benchmark('2025-01-14', 'csat', 3),
      benchmark('2025-01-15', 'csat', 4.25),
      benchmark('2025-01-15', 'ai_resolution_rate', null),
    ],
    format: 'JSONEachRow',
  })
  await h.ch.insert({
    table: 'vertical_org_metrics_v1',
    values: [
      { organization_id: big, vertical: 'ecommerce', period_day: '2025-01-15', metric: 'csat', value: 4.5 },
      { organization_id: big, vertical: 'ecommerce', period_day: '2025-01-15', metric: 'x', value: null },
      { organization_id: small, vertical: 'ecommerce', period_day: '2025-01-15', metric: 'csat', value: 1 },
    ],
    format: 'JSONEachRow',
  })
})
afterAll(async () => h?.close())

describe('benchmark queries', () => {
  it('organizationMetrics: each organization with enough closed conversations, its rates and intents', async () => {
    const rows = await organizationMetrics(h.ch, {
      from: new Date(T - 30 * DAY),
      to: new Date(T),
      minClosed: 5,
    })
    expect(rows).toEqual([
      {
        org: big,
        vertical: 'ecommerce',
        resolution: 0.5,
        escalation: 1 / 6,
        mean_csat: 4.5,
        latency: 300,
        intents: { returns: 2, order_status: 4 },
        conversations: 6,
        closed: 6,
      },
    ])
  })

  it('latestVerticalBenchmarks: the latest day, by metric, parsed', async () => {
    expect(await latestVerticalBenchmarks(h.ch, { vertical: 'ecommerce' })).toEqual([
      {
        metric: 'ai_resolution_rate',
        organizations: 5,
        published: false,
        p25: null,
        median: null,
        p75: null,
        period_start: '2024-12-16T00:00:00.000Z',
        period_end: '2025-01-15T00:00:00.000Z',
      },
      expect.objectContaining({ metric: 'csat', published: true, median: 4.25 }),
    ])
    expect(await latestVerticalBenchmarks(h.ch, { vertical: 'real_estate' })).toEqual([])
  })

  it("organizationBenchmarkValues: only the organization's own values", async () => {
    const own = await organizationBenchmarkValues(h.ch, { organizationId: big, day: '2025-01-15' })
    expect([...own]).toEqual(
      expect.arrayContaining([
        ['csat', 4.5],
        ['x', null],
      ]),
    )
    expect(own.size).toBe(2)
  })
})

import { describe, expect, it } from 'vitest'
import { benchmarkOf, quantile, verticalBenchmarks, type OrgMetrics } from './vertical-insights.js'

const org = (id: string, resolution: number, intents: Record<string, number> = {}): OrgMetrics => ({
  organizationId: id,
  vertical: 'ecommerce',
  values: {
    ai_resolution_rate: resolution,
    escalation_rate: 0.1,
    csat: null,
    median_response_latency_ms: 100,
  },
  intentShares: intents,
})

describe('quantiles (type 7: linear between order statistics)', () => {
  it('by hand', () => {
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3)
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2)
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5)
    // (4 − 1) · 0.25 = 0.75 → 10 + 0.75 · (20 − 10)
    expect(quantile([10, 20, 30, 40], 0.25)).toBe(17.5)
    expect(quantile([7], 0.75)).toBe(7)
  })
})

describe('k-anonymity', () => {
  it('4 organizations publish nothing, 5 publish', () => {
    const four = [0.2, 0.4, 0.6, 0.8].map((r, i) => org(`o${i}`, r, { order_status: 1 }))
    const none = verticalBenchmarks(four)
    expect(none.every((b) => !b.published && b.median === null)).toBe(true)
    expect(none.some((b) => b.metric.startsWith('intent:'))).toBe(false)
    const five = verticalBenchmarks([...four, org('o4', 1, { order_status: 0.5, returns: 0.5 })])
    expect(five.find((b) => b.metric === 'ai_resolution_rate')).toEqual({
      metric: 'ai_resolution_rate',
      organizations: 5,
      published: true,
      p25: 0.4,
      median: 0.6,
      p75: 0.8,
    })
    // csat: no organization has a value → unpublished on its own
    expect(five.find((b) => b.metric === 'csat')?.published).toBe(false)
    // intents: organizations without one count 0; returns = [0,0,0,0,0.5] → median 0
    expect(five.find((b) => b.metric === 'intent:order_status')?.median).toBe(1)
    expect(five.find((b) => b.metric === 'intent:returns')?.median).toBe(0)
  })
  it('a metric with fewer than k values is not published even in a large vertical', () => {
    expect(benchmarkOf('csat', [4, null, 5, null, 3, 4])).toMatchObject({
      published: false,
      organizations: 4,
    })
  })
})

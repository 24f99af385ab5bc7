import { describe, expect, it } from 'vitest'
import { reportFiltersOf } from './conversation-filters'
import { bucketEnd, bucketPeriod, bucketStarts, drillHref, gapHref, groupHref } from './drill'

const period = { from: '2026-01-10', to: '2026-02-10' }
const agent = '01a229a6-0db6-716f-928f-ece5dffd0843'

describe('drill-down links', () => {
  it('ends a day, a week and a month where the next one starts', () => {
    expect(bucketEnd('2026-01-31', 'day')).toBe('2026-02-01')
    expect(bucketEnd('2026-01-05', 'week')).toBe('2026-01-12')
    expect(bucketEnd('2026-12-01', 'month')).toBe('2027-01-01')
  })

  it('clips a bucket to the period', () => {
    expect(bucketPeriod('2026-01-05', 'week', period)).toEqual({ from: '2026-01-10', to: '2026-01-12' })
    expect(bucketPeriod('2026-02-01', 'month', period)).toEqual({ from: '2026-02-01', to: '2026-02-10' })
  })

  it('links a group to the report, whose filters read the same values back', () => {
    const href = groupHref(period, 'ai_resolved', 'intent', 'order_status')!
    expect(href).toBe('/conversations?from=2026-01-10&to=2026-02-10&intent=order_status&resolved=true')
    const f = reportFiltersOf(new URL(href, 'http://x').searchParams)
    expect(f.query).toMatchObject({
      intent: 'order_status',
      resolved: 'true',
      from: '2026-01-10T00:00:00.000Z',
    })
    const byAgentDay = groupHref(period, 'conversations', 'day', '2026-01-20')!
    expect(byAgentDay).toBe('/conversations?from=2026-01-20&to=2026-01-21')
    expect(
      reportFiltersOf(new URL(drillHref(period, { agentId: agent }), 'http://x').searchParams).query,
    ).toMatchObject({ agentId: agent })
  })

  it('has no link for conversations served by no variant (the report cannot filter on it)', () => {
    expect(groupHref(period, 'conversations', 'variant', '')).toBeNull()
  })

  it('links a gap to its conversations from the day the first started to the end of today', () => {
    const gap = { id: agent, firstConversationAt: '2026-01-03T23:59:00.000Z' }
    const href = gapHref(gap, Date.parse('2026-01-20T08:00:00Z'))!
    expect(href).toBe(`/conversations?from=2026-01-03&to=2026-01-21&gapId=${agent}`)
    const f = reportFiltersOf(new URL(href, 'http://x').searchParams)
    expect(f.query).toMatchObject({
      gapId: agent,
      from: '2026-01-03T00:00:00.000Z',
      to: '2026-01-21T00:00:00.000Z',
    })
    expect(gapHref({ id: agent, firstConversationAt: null })).toBeNull()
  })

  it('lists every bucket of a period, the first holding its first day', () => {
    expect(bucketStarts({ from: '2026-01-30', to: '2026-02-02' }, 'day')).toEqual([
      '2026-01-30',
      '2026-01-31',
      '2026-02-01',
    ])
    // 2026-01-10 is a Saturday: its week started Monday the 5th.
    expect(bucketStarts(period, 'week')).toEqual([
      '2026-01-05',
      '2026-01-12',
      '2026-01-19',
      '2026-01-26',
      '2026-02-02',
      '2026-02-09',
    ])
    expect(bucketStarts(period, 'month')).toEqual(['2026-01-01', '2026-02-01'])
  })
})

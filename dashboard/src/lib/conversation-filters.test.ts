import { describe, expect, it } from 'vitest'
import { csvHref, reportFiltersOf } from './conversation-filters'

describe('conversation report filters', () => {
  it('turns the URL into the API query and the CSV link of the same rows', () => {
    const agent = '01a229a6-0db6-716f-928f-ece5dffd0843'
    const f = reportFiltersOf(
      new URLSearchParams(
        `from=2026-01-01&to=2026-02-01&status=handed_off&channel=widget&agentId=${agent}&intent=order_status&variantId=${agent}&minCsat=4&cursor=x`,
      ),
    )
    expect(f.query).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-02-01T00:00:00.000Z',
      status: 'handed_off',
      channel: 'widget',
      agentId: agent,
      intent: 'order_status',
      variantId: agent,
      minCsat: 4,
    })
    const url = new URL(csvHref(f.query), 'http://x')
    expect(url.pathname).toBe('/api/v1/analytics/conversations/resolved/export.csv')
    expect(Object.fromEntries(url.searchParams)).toEqual({ ...f.query, minCsat: '4' })
  })

  it('drops values the API would refuse instead of sending them', () => {
    const f = reportFiltersOf(
      new URLSearchParams(
        `from=2026-01-01&to=2026-02-01&status=lost&channel=fax&agentId=1&variantId=2&intent=${'x'.repeat(61)}&minCsat=9`,
      ),
    )
    expect(f.query).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' })
  })
})

import { describe, expect, it } from 'vitest'
import { granularityOf, instant, periodOf, previousOf } from './period'

const NOW = Date.parse('2026-03-15T10:00:00Z')

describe('period in the URL', () => {
  it('reads a valid period as given', () => {
    expect(periodOf(new URLSearchParams('from=2026-01-01&to=2026-02-01'), NOW)).toEqual({
      from: '2026-01-01',
      to: '2026-02-01',
    })
  })

  it('falls back to the last 30 whole days, today included, on a missing or reversed period', () => {
    const want = { from: '2026-02-14', to: '2026-03-16' } // 30 days: Feb has 28
    expect(periodOf(new URLSearchParams(''), NOW)).toEqual(want)
    expect(periodOf(new URLSearchParams('from=2026-02-01&to=2026-01-01'), NOW)).toEqual(want)
    expect(periodOf(new URLSearchParams('from=yesterday&to=2026-01-01'), NOW)).toEqual(want)
  })

  it('compares with the period of the same length just before', () => {
    expect(previousOf({ from: '2026-03-01', to: '2026-03-31' })).toEqual({
      from: '2026-01-30',
      to: '2026-03-01',
    })
  })

  it('sends the API instants at UTC midnight, and a known granularity', () => {
    expect(instant('2026-03-01')).toBe('2026-03-01T00:00:00.000Z')
    expect(granularityOf(new URLSearchParams('granularity=month'))).toBe('month')
    expect(granularityOf(new URLSearchParams('granularity=hour'))).toBe('week')
  })
})

import { describe, expect, it } from 'vitest'
import { positionOf } from './benchmark'

const q = { p25: 0.4, median: 0.5, p75: 0.6 }

describe('position among the vertical’s quartiles', () => {
  it('higher is better (resolution rate)', () => {
    expect(positionOf({ ...q, own: 0.6 }, false)).toBe('best quarter of the vertical')
    expect(positionOf({ ...q, own: 0.55 }, false)).toBe('better than the median')
    expect(positionOf({ ...q, own: 0.5 }, false)).toBe('at the median')
    expect(positionOf({ ...q, own: 0.45 }, false)).toBe('behind the median')
    expect(positionOf({ ...q, own: 0.4 }, false)).toBe('weakest quarter of the vertical')
  })

  it('lower is better (escalation rate, reply time): the same values read the other way', () => {
    expect(positionOf({ ...q, own: 0.6 }, true)).toBe('weakest quarter of the vertical')
    expect(positionOf({ ...q, own: 0.55 }, true)).toBe('behind the median')
    expect(positionOf({ ...q, own: 0.45 }, true)).toBe('better than the median')
    expect(positionOf({ ...q, own: 0.3 }, true)).toBe('best quarter of the vertical')
  })

  it('no value of its own (or an unpublished metric): says so', () => {
    expect(positionOf({ ...q, own: null }, false)).toBe('no value of your own yet')
    expect(positionOf({ own: 0.5, p25: null, median: null, p75: null }, false)).toBe(
      'no value of your own yet',
    )
  })
})

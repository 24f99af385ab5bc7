// Where an organization stands among its vertical's quartiles, in words (GET /analytics/benchmarks).

export interface Quartiles {
  own: number | null
  p25: number | null
  median: number | null
  p75: number | null
}

/** Where `own` falls among the quartiles, in words (better/worse follows the metric's direction). */
export function positionOf(r: Quartiles, lowerIsBetter: boolean): string {
  const { own, p25, median, p75 } = r
  if (own === null || p25 === null || median === null || p75 === null) return 'no value of your own yet'
  const top = lowerIsBetter ? own <= p25 : own >= p75
  const bottom = lowerIsBetter ? own >= p75 : own <= p25
  if (top) return 'best quarter of the vertical'
  if (bottom) return 'weakest quarter of the vertical'
  if (own === median) return 'at the median'
  return own > median !== lowerIsBetter ? 'better than the median' : 'behind the median'
}

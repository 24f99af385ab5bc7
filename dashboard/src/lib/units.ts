// How a measure of the semantic layer reads, by its unit (GET /analytics/catalogue names it).
import { fmtCount, fmtHours, fmtMoney, fmtRatio } from './format'

export function formatterOf(unit: string, currency: string): (v: number | null) => string {
  switch (unit) {
    case 'count':
      return fmtCount
    case 'ratio':
      return fmtRatio
    case 'hours':
      return fmtHours
    case 'money':
      return (v) => fmtMoney(v, currency)
    case 'usd':
      return (v) => fmtMoney(v, 'USD')
    case 'ms':
      return (v) =>
        v === null ? '—' : `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }).format(v)} ms`
    default:
      return (v) =>
        v === null ? '—' : new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(v)
  }
}

// Display only: every number shown comes from the API; these functions only format it.

export const fmtCount = (v: number | null) => (v === null ? '—' : new Intl.NumberFormat().format(v))

export const fmtRatio = (v: number | null) =>
  v === null
    ? '—'
    : new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(v)

export const fmtHours = (v: number | null) =>
  v === null ? '—' : `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(v)} h`

export const fmtMoney = (v: number | null, currency: string) =>
  v === null ? '—' : new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(v)

/** Net ROI is a ratio of money: 2.5 reads "250 %" (what the executive asks: does it pay?). */
export const fmtRoi = fmtRatio

/** Relative change against the previous period, or null when there is no baseline to compare. */
export function changeOf(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null
  return (current - previous) / Math.abs(previous)
}

export const fmtDateTime = (s: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(s))

/** A difference of two rates (after − before) in percentage points: 0.25 reads "+25 pts". */
export const fmtPoints = (v: number | null) =>
  v === null
    ? '—'
    : `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(v * 100)} pts`

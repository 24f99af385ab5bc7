// Display only: every number shown comes from the API; these functions only format it, in the
// organization's locale (GET /organization → locale) and, for money, the currency the API names.

// One organization per session, and every number on every screen follows its locale: <Session>
// sets it once from GET /organization before any screen renders, rather than threading a locale
// prop through each number. undefined (the browser's) only before that, i.e. never on a screen.
let locale: string | undefined

/** The locale every formatter uses from now on (BCP 47, e.g. "fr-FR"). */
export function setDisplayLocale(tag: string | undefined): void {
  locale = tag
}

/** The locale in force, for components that build their own Intl formatter (charts). */
export const displayLocale = (): string | undefined => locale

export const fmtCount = (v: number | null) => (v === null ? '—' : new Intl.NumberFormat(locale).format(v))

export const fmtRatio = (v: number | null) =>
  v === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(v)

export const fmtHours = (v: number | null) =>
  v === null ? '—' : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(v)} h`

export const fmtMoney = (v: number | null, currency: string) =>
  v === null ? '—' : new Intl.NumberFormat(locale, { style: 'currency', currency }).format(v)

/** Net ROI is a ratio of money: 2.5 reads "250 %" (what the executive asks: does it pay?). */
export const fmtRoi = fmtRatio

/** Relative change against the previous period, or null when there is no baseline to compare. */
export function changeOf(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null
  return (current - previous) / Math.abs(previous)
}

export const fmtDateTime = (s: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(s))

/** A difference of two rates (after − before) in percentage points: 0.25 reads "+25 pts". */
export const fmtPoints = (v: number | null) =>
  v === null
    ? '—'
    : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(v * 100)} pts`

/** A signed relative change: 0.125 reads "+12.5%". */
export const fmtChange = (v: number) =>
  new Intl.NumberFormat(locale, {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(v)

/**
 * An age in whole seconds, as the freshness mark says it: "42 seconds ago", "3 minutes ago". The
 * screens speak English, so the words stay English; the number follows the locale.
 */
export function fmtAge(seconds: number): string {
  const [value, unit] =
    seconds < 90
      ? [seconds, 'second']
      : seconds < 90 * 60
        ? [Math.round(seconds / 60), 'minute']
        : seconds < 36 * 3600
          ? [Math.round(seconds / 3600), 'hour']
          : [Math.round(seconds / 86400), 'day']
  return `${fmtCount(value)} ${unit}${value === 1 ? '' : 's'} ago`
}

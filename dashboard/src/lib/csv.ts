// A table's CSV, built from the very rows and cells the table renders (one list feeds both), so
// the file holds exactly what the screen shows. RFC 4180 with CRLF, like the API's export.

export type Cell = string | number | boolean | null | undefined

/** One field; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
export function csvField(v: Cell): string {
  if (v === null || v === undefined) return ''
  let s = String(v)
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** The header, then one line per row, each ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((r) => `${r.map(csvField).join(',')}\r\n`).join('')
}

/** A file name from a screen and its period: `signals-by-intent-2026-01-01-2026-02-01.csv`. */
export const csvName = (...parts: string[]) =>
  `${parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')}.csv`

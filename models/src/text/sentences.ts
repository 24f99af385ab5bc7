// Sentence and clause boundaries for the chunker and the local provider's answer extraction. A
// full stop ends a sentence only when a new one visibly starts after it, so "19.99", "v2.1",
// "example.com", "e.g. this" and "Dr. Smith" stay whole.

/** Words whose full stop is not a sentence end (lower-cased, without the dot). */
const ABBREVIATIONS = new Set(
  'e.g i.e etc vs approx incl excl no nr dept est fig st mr mrs ms dr prof sr jr inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun'.split(
    ' ',
  ),
)

// A candidate end: terminal punctuation, closing quotes or brackets, then white space.
const END = /[.!?…]+["'”’)\]]*\s+/gu
// What a new sentence starts with: a capital, a digit, an opening quote or bracket, a bullet.
const STARTS = /^["'“‘([]?[\p{Lu}\p{N}•*-]/u
const LIST_ITEM = /^\s*(?:[-*•]|\d+[.)])\s+/u

/** Rough word-piece count: ~4 characters a piece (English), at least one per word. */
export function estimatePieces(text: string): number {
  const words = text.split(/\s+/).filter(Boolean).length
  return Math.max(Math.ceil(text.length / 4), words)
}

/**
 * Lines of a paragraph joined back where they were only wrapped: a line break is a boundary after
 * terminal punctuation, before a list item, or after a short line that reads as a heading.
 */
function units(paragraph: string): string[] {
  const out: string[] = []
  for (const raw of paragraph.split('\n')) {
    const line = raw.trim()
    if (!line) continue
    const prev = out[out.length - 1]
    const boundary =
      prev === undefined ||
      /[.!?:;…]["'”’)\]]*$/u.test(prev) ||
      LIST_ITEM.test(line) ||
      (prev.length < 60 && !/^\p{Ll}/u.test(line))
    if (boundary) out.push(line)
    else out[out.length - 1] = `${prev} ${line}`
  }
  return out
}

/** Sentences of a text, in order, each trimmed; headings and list items are their own. */
export function splitSentences(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .flatMap(units)
    .flatMap(sentencesOfLine)
}

function sentencesOfLine(line: string): string[] {
  const out: string[] = []
  let start = 0
  for (const m of line.matchAll(END)) {
    const end = m.index + m[0].length
    const before = line.slice(start, m.index + m[0].trimEnd().length)
    const rest = line.slice(end)
    if (!STARTS.test(rest) || isAbbreviation(before)) continue
    out.push(before.trim())
    start = end
  }
  const tail = line.slice(start).trim()
  if (tail) out.push(tail)
  return out
}

/** "…e.g." or "Dr." or an initial ("J."): the dot belongs to the word. */
function isAbbreviation(sentence: string): boolean {
  const last = /(\S+)\.["'”’)\]]*$/u.exec(sentence)?.[1]
  if (!last) return false
  const word = last.toLowerCase().replace(/^["'“‘([]+/u, '')
  return ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(last)
}

/**
 * A sentence cut to at most `maxPieces` per part: at the strongest clause boundary first
 * (semicolon or colon, then comma or dash), words only when a clause alone is too long.
 */
export function splitClauses(sentence: string, maxPieces: number): string[] {
  if (estimatePieces(sentence) <= maxPieces) return [sentence]
  for (const boundary of [/(?<=[;:])\s+/u, /(?<=,)\s+|\s+(?=[–—]\s)/u]) {
    const parts = sentence.split(boundary).filter(Boolean)
    if (parts.length > 1) return pack(parts, maxPieces).flatMap((p) => splitClauses(p, maxPieces))
  }
  return pack(sentence.split(/\s+/), maxPieces)
}

/** Consecutive parts joined while they fit in `maxPieces`. */
function pack(parts: string[], maxPieces: number): string[] {
  const out: string[] = []
  for (const part of parts) {
    const last = out[out.length - 1]
    if (last !== undefined && estimatePieces(`${last} ${part}`) <= maxPieces)
      out[out.length - 1] = `${last} ${part}`
    else out.push(part)
  }
  return out
}

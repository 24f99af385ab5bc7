// Erasure of text derived from a person's messages (knowledge gaps, the documents written from
// accepted gaps): pure functions, tested on fixtures in scrub.test.ts.

import { isDeepStrictEqual } from 'node:util'

export const ERASED = '[erased]'

/**
 * Whole messages shorter than this are not looked for inside other text: "yes" or "thanks" would
 * erase other people's words. They still go where they are a whole item (a gap's example).
 */
export const MIN_QUOTE_CHARS = 12

export interface Needles {
  /** The person's messages, as stored and as redacted: matched as whole items and as quotes. */
  messages: string[]
  /** Name, email, phone: matched anywhere, case-insensitive, on word boundaries. */
  identifiers: string[]
}

/** What to look for, from the contact's fields and what they wrote. */
export function needlesOf(
  contact: { name: string | null; email: string | null; phone: string | null },
  messages: string[],
): Needles {
  const identifiers = [contact.name, contact.email, contact.phone].filter(
    (x): x is string => typeof x === 'string' && x.trim().length >= 3,
  )
  return { messages: [...new Set(messages.map((m) => m.trim()).filter(Boolean))], identifiers }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The text with every quote of a message and every identifier replaced by [erased]. */
export function scrubText(text: string, n: Needles): string {
  let out = text
  // Longest first: a message that contains another is replaced whole.
  for (const m of [...n.messages].sort((a, b) => b.length - a.length))
    if (m.length >= MIN_QUOTE_CHARS) out = out.split(m).join(ERASED)
  for (const id of n.identifiers)
    out = out.replace(new RegExp(`(?<![\\w@.])${escape(id)}(?![\\w@]|\\.\\w)`, 'gi'), ERASED)
  return out
}

/** A list of items (examples, FAQ phrasings): items that are one of the messages go, the rest are scrubbed. */
export function scrubList(items: string[], n: Needles): string[] {
  const whole = new Set(n.messages)
  return items.filter((i) => !whole.has(i.trim())).map((i) => scrubText(i, n))
}

const pick = (g: GapTexts): GapTexts => ({
  label: g.label,
  examples: g.examples,
  drafted_answer: g.drafted_answer,
  accepted_answer: g.accepted_answer,
})

export interface GapTexts {
  label: string
  examples: string[]
  drafted_answer: string | null
  accepted_answer: string | null
}

/** A gap's texts with the person scrubbed out, or null when nothing in them changed. */
export function scrubGap(g: GapTexts, n: Needles): GapTexts | null {
  const next = {
    label: scrubText(g.label, n),
    examples: scrubList(g.examples, n),
    drafted_answer: g.drafted_answer === null ? null : scrubText(g.drafted_answer, n),
    accepted_answer: g.accepted_answer === null ? null : scrubText(g.accepted_answer, n),
  }
  // Contents, not lengths: an item rewritten in place ("I am [erased], help") is a change too.
  return isDeepStrictEqual(next, pick(g)) ? null : next
}

export interface DocumentTexts {
  title: string
  text: string
  questions: string[]
}

/** A document's texts with the person scrubbed out, or null when nothing in them changed. */
export function scrubDocument(d: DocumentTexts, n: Needles): DocumentTexts | null {
  const next = {
    title: scrubText(d.title, n),
    text: scrubText(d.text, n),
    questions: scrubList(d.questions, n),
  }
  return isDeepStrictEqual(next, { title: d.title, text: d.text, questions: d.questions }) ? null : next
}

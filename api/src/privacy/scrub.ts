// Erasure of text derived from a person's messages (knowledge gaps, the documents written from
// accepted gaps): pure functions, tested on fixtures in scrub.test.ts.

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

/**
 * Filler removal before a question is embedded for gap clustering (docs/metrics.md § Knowledge
 * gaps). Greetings, openers ("Quick question:"), hedges ("I was wondering if"), politeness and
 * sign-offs carry no topic, but a sentence embedding weighs them like any other words: in the
 * demo, "Quick question: is there free shipping?" and "Quick question: do you take Apple Pay?"
 * sat closer to each other than to their own topics. Pure; the content words are kept as written.
 */

// Separators around a filler phrase: spaces and punctuation, dashes, ellipses.
const SEP = String.raw`[\s,.;:!?\-–—…~()]*`

// Openers, stripped from the start repeatedly ("Hi there! Quick question: I was wondering if …").
// Each ends at a word boundary so "hip" or "questionnaire" are never touched.
const OPENERS: readonly string[] = [
  String.raw`(?:hi|hello|hey|hiya|howdy|heya|greetings|good (?:morning|afternoon|evening|day))(?: (?:there|all|team|guys|folks|everyone|again|support))?`,
  String.raw`dear (?:(?:support|sales|customer service) )?(?:team|support|sir(?: or madam)?|madam|all|customer (?:service|support))`,
  String.raw`(?:ok(?:ay)?|so|well|um+|uh+|hmm+|erm|oh|also|anyway|btw|by the way)`,
  String.raw`(?:sorry to (?:bother|trouble)(?: you)?|sorry|excuse me|pardon me)`,
  String.raw`(?:(?:just )?(?:a |one )?(?:quick|small|simple) question|(?:i (?:have|had|ve got)|ive got|got) (?:a |one )?(?:quick |small |simple )?question(?: for you)?|question)`,
  String.raw`(?:i was (?:just )?wondering|i am wondering|im wondering|i wonder|wondering)(?: if| whether)?`,
  String.raw`(?:i(?:d| would) like to (?:know|ask)|i (?:just )?want(?:ed)? to (?:know|ask)|(?:just )?wanted to (?:know|ask)|i need to know)(?: if| whether)?`,
  String.raw`(?:can|could|would|will) you (?:please |kindly )?(?:tell me|let me know)(?: if| whether)?`,
  String.raw`(?:do you know|please tell me|tell me|let me know)(?: if| whether)`,
  String.raw`(?:please|pls|plz|kindly)`,
]

// Sign-offs, stripped from the end repeatedly ("… thanks in advance, cheers").
const CLOSERS: readonly string[] = [
  String.raw`(?:many |thanks |thank you )?(?:thanks|thank you|thx|ty|cheers)(?: (?:a lot|so much|very much|in advance|again|for (?:your|the) help))*`,
  // not a bare "best": "what is the best" keeps its word
  String.raw`(?:much )?appreciated|i appreciate it|appreciate it|(?:(?:best|kind|warm) )?regards|all the best|have a (?:nice|good|great) (?:day|one|evening)`,
  String.raw`(?:please|pls|plz)(?: help)?`,
  String.raw`(?:asap|if possible|if you can)`,
]

const LEADING = new RegExp(String.raw`^${SEP}(?:${OPENERS.join('|')})\b${SEP}`, 'iu')
const TRAILING = new RegExp(String.raw`${SEP}\b(?:${CLOSERS.join('|')})${SEP}$`, 'iu')
// Politeness inside a sentence ("can you please check my order?").
const INNER = /\s*\b(?:please|pls|plz|kindly)\b,?/giu
// Emoji and emoticons carry tone, not topic.
const EMOJI = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}]|[:;]-?[)(DPp]/gu

/** Apostrophes as typed (’ or ') are one form here so "I’d like to know" matches "I'd like to know". */
const APOSTROPHE = /['’`]/g

/**
 * The question without its filler: greetings, openers, hedges, politeness, sign-offs and emoji
 * removed, the content words kept as written (a trailing "?" is kept). Pure filler ("Hi!",
 * "thanks") gives ''.
 */
export function removeFiller(text: string): string {
  // Openers are matched on a copy without apostrophes ("I'd" → "Id"); offsets then map back.
  let s = text.replace(EMOJI, ' ').replace(/\s+/g, ' ').trim()
  for (let i = 0; i < 8; i++) {
    const bare = s.replace(APOSTROPHE, '')
    const m = LEADING.exec(bare)
    if (!m || m[0].length === 0) break
    s = s.slice(originalOffset(s, m[0].length))
  }
  const question = s.includes('?')
  for (let i = 0; i < 8; i++) {
    const next = s.replace(TRAILING, '')
    if (next === s) break
    s = next
  }
  s = s.replace(INNER, '').replace(/\s+/g, ' ').trim()
  s = s.replace(/^[\s,.;:!\-–—…]+|[\s,;:\-–—…]+$/gu, '')
  if (s === '' || !/[\p{L}\p{N}]/u.test(s)) return ''
  return question && !s.endsWith('?') ? `${s.replace(/[.!]+$/, '')}?` : s
}

/** Where `bareLength` characters of the apostrophe-free copy end in the original string. */
function originalOffset(s: string, bareLength: number): number {
  let seen = 0
  let i = 0
  while (i < s.length && seen < bareLength) {
    if (!/['’`]/.test(s[i]!)) seen += 1
    i += 1
  }
  // Apostrophes right after the match belong to it ("Id" matched: skip the "’" of "I’d").
  while (i < s.length && /['’`]/.test(s[i]!)) i += 1
  return i
}

/** A question as a title: filler removed, first letter capitalised (the text as written when nothing is left). */
export function questionTitle(text: string): string {
  const s = removeFiller(text) || text.trim()
  return s.charAt(0).toUpperCase() + s.slice(1)
}

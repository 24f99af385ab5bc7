export type PiiKind = 'email' | 'phone' | 'card' | 'iban' | 'national_id' | 'birth_date' | 'address'

/** One redacted span; `start`/`end` index the ORIGINAL text (end exclusive). */
export interface PiiFinding {
  kind: PiiKind
  start: number
  end: number
}

export interface RedactionResult {
  text: string
  findings: PiiFinding[]
}

const PLACEHOLDER: Record<PiiKind, string> = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  card: '[CARD]',
  iban: '[IBAN]',
  national_id: '[NATIONAL_ID]',
  birth_date: '[BIRTH_DATE]',
  address: '[ADDRESS]',
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu
// "john at gmail dot com", "john [at] gmail [dot] com": only with a known TLD, so prose like
// "look at this dot matrix" never matches.
const OBFUSCATED_EMAIL =
  /\b[a-z0-9._%+-]+\s*(?:\[at\]|\(at\)|\{at\}|\sat\s)\s*[a-z0-9-]+(?:\s*(?:\[dot\]|\(dot\)|\{dot\}|\sdot\s|\.)\s*[a-z0-9-]+)*?\s*(?:\[dot\]|\(dot\)|\{dot\}|\sdot\s|\.)\s*(?:com|net|org|edu|gov|io|co|fr|de|uk|es|it|nl|be|ch|ca|au|info|biz|me)\b/giu
// Uppercase only: with /i the pattern would swallow the next word ("… 189 thanks").
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/gu
// 13–19 digits, optionally grouped by single spaces or dashes.
const CARD = /(?<![\w+])\d(?:[ -]?\d){12,18}(?!\w)/g
// International: + country code then groups; national: leading 0 or (area) groups; NANP 3-3-4.
const PHONE_INTL = /(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\w)/g
const PHONE_NATIONAL = /(?<![\w#])(?:\(0?\d{2,4}\)[ .-]?|0\d{1,4}[ .-]?)\d{2,4}(?:[ .-]?\d{2,4}){1,3}(?!\w)/g
const PHONE_NANP = /(?<![\w#])(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\w)/g
const DATE = /^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})$/
// Words that make a number an identifier rather than a phone ("order 0123 4567").
const ID_CONTEXT =
  /(?:order|invoice|ref(?:erence)?|ticket|tracking|case|account|acct|sku|no\.?|nr\.?|#)\s*:?\s*$/i

// US Social Security number, grouped 3-2-4 (never issued: area 000, 666, 9xx; group 00; serial 0000).
const SSN = /(?<![\w-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\w-])/g
// Nine bare digits are an SSN only when the words around say so.
const SSN_BARE = /(?<![\w-])(?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4}(?![\w-])/g
const SSN_CONTEXT = /(?:ssn|social security(?: number| no\.?| #)?|ss#)\W{0,5}(?:is\W{0,3})?$/i
// French NIR (numéro de sécurité sociale): sex, year, month, department (2A/2B for Corsica),
// commune, order, then a two-digit key = 97 − (the 13 digits mod 97); spaces optional.
const NIR = /(?<![\w])[12] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?!\w)/gi
// A date (numeric, or with the month's name in English or French)…
const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre'
const ANY_DATE = new RegExp(
  `(?<![\\w/.-])(?:\\d{1,2}[./-]\\d{1,2}[./-](?:19|20)\\d{2}|(?:19|20)\\d{2}-\\d{1,2}-\\d{1,2}|\\d{1,2}(?:st|nd|rd|th|er)? (?:of )?(?:${MONTHS}),? (?:19|20)\\d{2}|(?:${MONTHS}) \\d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\\d{2})(?![\\w/-])`,
  'gi',
)
// …is a date of birth only after words that say so: dates are everywhere in support questions
// ("the transfer of 12/03/2024"), birth dates are not.
const BIRTH_CONTEXT =
  /(?:born(?: on)?|birth ?(?:date|day)?(?: is)?|date of birth(?: is)?|d\.?o\.?b\.?|birthday(?: is)?|n[ée]e? le|date de naissance)\W{0,5}$/i
// A street address: a house number, then a street name ending in a street word (English), or a
// street word then its name (French). Name words are neither stop words nor numbers, so "2 cards
// on the way" is not an address.
const STREET_EN =
  /(?<![\w-])\d{1,5}[a-z]?,? (?:(?!(?:the|a|an|on|in|my|your|to|of|for|and|or|is|it|by|at|this|that|cards?|days?|weeks?|months?|years?|hours?|times?|minutes?)\b)[\p{L}'-]{2,} ){1,3}(?:street|st\.?|way|avenue|ave\.?|road|rd\.?|boulevard|blvd\.?|lane|ln\.?|drive|court|ct\.?|place|terrace|crescent|close|square|highway|hwy)(?: (?:n|s|e|w|ne|nw|se|sw)\b)?(?![\w-])/giu
const STREET_FR =
  /(?<![\w-])\d{1,4}(?: ?(?:bis|ter))?,? (?:rue|avenue|av\.|boulevard|bd|chemin|allée|allee|impasse|place|quai|route|cours) (?:(?:de la|de l'|des|du|de|d'|la|le|l') ?)?[\p{L}'-]{2,}(?: [\p{Lu}][\p{L}'-]+){0,3}/giu

/** The NIR's key: 97 − (its first 13 digits mod 97), Corsica's 2A/2B counted as 19/18. */
export function nirValid(raw: string): boolean {
  const s = raw.replace(/\s+/g, '').toUpperCase()
  if (!/^[12]\d{4}(?:\d{2}|2A|2B)\d{8}$/.test(s)) return false
  const body = s.slice(0, 13).replace('2A', '19').replace('2B', '18')
  return 97 - Number(BigInt(body) % 97n) === Number(s.slice(13))
}

/** Luhn checksum, as used by every payment card network. */
export function luhnValid(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return digits.length > 0 && sum % 10 === 0
}

/** ISO 13616 IBAN check: move the first four chars to the end, letters to numbers, mod 97 = 1. */
export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/\s+/g, '').toUpperCase()
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false
  const moved = iban.slice(4) + iban.slice(0, 4)
  let rem = 0
  for (const ch of moved) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch
    for (const d of v) rem = (rem * 10 + Number(d)) % 97
  }
  return rem === 1
}

type Detector = { kind: PiiKind; regex: RegExp; accept: (match: string, text: string, at: number) => boolean }

const digitCount = (s: string): number => s.replace(/\D/g, '').length

const phoneOk = (match: string, text: string, at: number): boolean => {
  const n = digitCount(match)
  // E.164 caps numbers at 15 digits; under 8 digits is more likely a quantity or a code.
  if (n < 8 || n > 15) return false
  // Dates ("01.02.2024", "2024-01-15") have phone-like digit groups.
  if (DATE.test(match.trim())) return false
  return !ID_CONTEXT.test(text.slice(Math.max(0, at - 20), at))
}

const before = (text: string, at: number, context: RegExp) =>
  context.test(text.slice(Math.max(0, at - 40), at))

// Order matters: IBANs, NIRs and cards contain digit runs a phone pattern would also take, and a
// birth date's digits look like a phone's.
const DETECTORS: Detector[] = [
  { kind: 'email', regex: EMAIL, accept: () => true },
  { kind: 'email', regex: OBFUSCATED_EMAIL, accept: () => true },
  { kind: 'iban', regex: IBAN, accept: (m) => ibanValid(m) },
  { kind: 'national_id', regex: NIR, accept: (m) => nirValid(m) },
  { kind: 'national_id', regex: SSN, accept: () => true },
  { kind: 'national_id', regex: SSN_BARE, accept: (_m, text, at) => before(text, at, SSN_CONTEXT) },
  { kind: 'birth_date', regex: ANY_DATE, accept: (_m, text, at) => before(text, at, BIRTH_CONTEXT) },
  { kind: 'address', regex: STREET_EN, accept: () => true },
  { kind: 'address', regex: STREET_FR, accept: () => true },
  { kind: 'card', regex: CARD, accept: (m) => consistentSeparators(m) && luhnValid(m.replace(/\D/g, '')) },
  { kind: 'phone', regex: PHONE_INTL, accept: phoneOk },
  { kind: 'phone', regex: PHONE_NANP, accept: phoneOk },
  { kind: 'phone', regex: PHONE_NATIONAL, accept: phoneOk },
]

// "4111 1111 1111 1111" or "4111-1111-…" but not "4111 1111-1111 1111" mixes typical of noise.
function consistentSeparators(m: string): boolean {
  return !(m.includes(' ') && m.includes('-'))
}

/**
 * Find emails, phones, payment cards (Luhn-valid), IBANs (mod-97-valid), national ids (US SSN,
 * French NIR with its key), dates of birth (a date after words that say so) and street addresses,
 * and mask them.
 */
export function redactPii(text: string): RedactionResult {
  const findings: PiiFinding[] = []
  const overlaps = (s: number, e: number): boolean => findings.some((f) => s < f.end && e > f.start)
  for (const d of DETECTORS) {
    for (const m of text.matchAll(d.regex)) {
      const start = m.index
      const end = start + m[0].length
      if (!overlaps(start, end) && d.accept(m[0], text, start)) findings.push({ kind: d.kind, start, end })
    }
  }
  findings.sort((a, b) => a.start - b.start)
  let out = ''
  let cursor = 0
  for (const f of findings) {
    out += text.slice(cursor, f.start) + PLACEHOLDER[f.kind]
    cursor = f.end
  }
  return { text: out + text.slice(cursor), findings }
}

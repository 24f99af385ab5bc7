export type PiiKind = 'email' | 'phone' | 'card' | 'iban'

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

// Order matters: IBANs and cards contain digit runs a phone pattern would also take.
const DETECTORS: Detector[] = [
  { kind: 'email', regex: EMAIL, accept: () => true },
  { kind: 'email', regex: OBFUSCATED_EMAIL, accept: () => true },
  { kind: 'iban', regex: IBAN, accept: (m) => ibanValid(m) },
  { kind: 'card', regex: CARD, accept: (m) => consistentSeparators(m) && luhnValid(m.replace(/\D/g, '')) },
  { kind: 'phone', regex: PHONE_INTL, accept: phoneOk },
  { kind: 'phone', regex: PHONE_NANP, accept: phoneOk },
  { kind: 'phone', regex: PHONE_NATIONAL, accept: phoneOk },
]

// "4111 1111 1111 1111" or "4111-1111-…" but not "4111 1111-1111 1111" mixes typical of noise.
function consistentSeparators(m: string): boolean {
  return !(m.includes(' ') && m.includes('-'))
}

/** Find emails, phones, payment cards (Luhn-valid) and IBANs (mod-97-valid) and mask them. */
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

import { describe, expect, it } from 'vitest'
import { ibanValid, luhnValid, redactPii } from './pii.js'

describe('redactPii', () => {
  it('redacts emails, including obfuscated ones, with original offsets', () => {
    const input = 'Write to Jane.Doe+shop@example.co.uk or john at gmail dot com, or bob [at] mail [dot] fr'
    const r = redactPii(input)
    expect(r.text).toBe('Write to [EMAIL] or [EMAIL], or [EMAIL]')
    expect(r.findings.map((f) => f.kind)).toEqual(['email', 'email', 'email'])
    const first = r.findings[0]!
    expect(input.slice(first.start, first.end)).toBe('Jane.Doe+shop@example.co.uk')
  })

  it('does not take prose with "at" and "dot" for an email', () => {
    expect(redactPii('Look at the red dot on the map').findings).toEqual([])
  })

  it('redacts international and national phone numbers', () => {
    const cases = [
      '+33 6 12 34 56 78',
      '+1 (415) 555-2671',
      '+44 20 7946 0958',
      '06 12 34 56 78',
      '020 7946 0958',
      '(415) 555-2671',
      '415-555-2671',
      '+4915112345678',
    ]
    for (const c of cases)
      expect(redactPii(`call me on ${c} please`).text, c).toBe('call me on [PHONE] please')
  })

  it('leaves years, prices, quantities and order numbers alone', () => {
    for (const t of [
      'Built in 1998, renovated 2021',
      'It costs $1,299.00 or 1 299 €',
      'order #12345678 is late',
      'my order 0123 4567 89 never came',
      'I need 250 units',
      'invoice no. 2024-00123',
    ]) {
      expect(redactPii(t).findings, t).toEqual([])
    }
  })

  it('redacts Luhn-valid cards and never Luhn-failing numbers', () => {
    expect(redactPii('card 4111 1111 1111 1111 exp 12/27').text).toBe('card [CARD] exp 12/27')
    expect(redactPii('card 5500-0000-0000-0004').text).toBe('card [CARD]')
    expect(redactPii('amex 378282246310005').text).toBe('amex [CARD]')
    const bad = redactPii('card 4111 1111 1111 1112')
    expect(bad.findings.some((f) => f.kind === 'card')).toBe(false)
    expect(bad.text).not.toContain('[CARD]')
  })

  it('redacts mod-97-valid IBANs only', () => {
    expect(redactPii('IBAN: FR76 3000 6000 0112 3456 7890 189 thanks').text).toBe('IBAN: [IBAN] thanks')
    expect(redactPii('pay to DE89370400440532013000').text).toBe('pay to [IBAN]')
    expect(redactPii('pay to DE89370400440532013001').text).not.toContain('[IBAN]')
  })

  it('handles several kinds in one message', () => {
    const r = redactPii('I am a@b.io, +33 6 12 34 56 78, card 4242424242424242')
    expect(r.text).toBe('I am [EMAIL], [PHONE], card [CARD]')
  })
})

describe('checksums', () => {
  it('luhn and iban', () => {
    expect(luhnValid('4242424242424242')).toBe(true)
    expect(luhnValid('4242424242424241')).toBe(false)
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true)
    expect(ibanValid('GB82 WEST 1234 5698 7654 33')).toBe(false)
  })
})

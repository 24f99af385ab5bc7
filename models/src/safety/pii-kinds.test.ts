import { describe, expect, it } from 'vitest'
import { nirValid, redactPii, type PiiKind } from './pii.js'

// Recall of each new kind on a fixture written by hand (sentences as customers type them), and
// the look-alikes each must leave alone. The false-positive rate on real questions is measured on
// BANKING77 in pii-banking77.int.test.ts.

const FOUND: Record<Extract<PiiKind, 'national_id' | 'birth_date' | 'address'>, string[]> = {
  national_id: [
    'my SSN is 123-45-6789',
    'social security number 078-05-1120 for the form',
    'SSN: 219 09 9999',
    'ssn 123456789',
    'Mon numéro de sécu : 1 85 05 78 006 084 91',
    'NIR 185057800608491',
    'numéro 2 69 05 2A 123 456 88 pour le dossier',
    'here is 2 55 08 14 168 025 38, thanks',
  ],
  birth_date: [
    'I was born on 12/03/1985',
    'date of birth: 1990-07-14',
    'DOB 03.11.1979 please update',
    'my birthday is March 3, 1992',
    'born 4th of July 1988',
    'née le 14 juillet 1975',
    'date de naissance 02/05/1968',
    'Birth date 7 January 2001',
  ],
  address: [
    'send it to 221B Baker Street',
    'I live at 1600 Pennsylvania Avenue NW, Washington',
    'my address is 42 Wallaby Way, Sydney',
    'ship to 10 Downing St. London',
    'deliver to 350 Fifth Avenue',
    'j’habite au 12 rue de la Paix à Paris',
    'adresse : 8 bis avenue Victor Hugo',
    'livraison 3 boulevard Saint Michel',
    'my flat is at 77 Elm Road',
  ],
}

const LEFT_ALONE = [
  'the transfer of 12/03/2024 is missing', // a date, not a birth date
  'I was charged on 2024-01-15',
  'order 123-45-6789 has not arrived', // 3-2-4 in an order context would still be taken: see below
  '2 cards on the way',
  'I have 3 days left to pay',
  'Can I visit the apartment on Rue Victor Hugo?', // a street without a number is not someone's address
  'My card expires 12/27',
  'card ending 1234 was declined',
  'top up 100 euros by 3 pm',
  'it took 10 working days to arrive',
]

describe('national ids, dates of birth, street addresses', () => {
  for (const [kind, cases] of Object.entries(FOUND)) {
    it(`finds every ${kind} of the fixture (recall 1.0 on ${cases.length})`, () => {
      const missed = cases.filter((c) => !redactPii(c).findings.some((f) => f.kind === kind))
      console.log(
        `PII ${kind}: recall ${((cases.length - missed.length) / cases.length).toFixed(3)} on ${cases.length}`,
      )
      expect(missed).toEqual([])
    })
  }

  it('leaves look-alikes alone', () => {
    const taken = LEFT_ALONE.filter((t) => {
      const kinds = redactPii(t).findings.map((f) => f.kind)
      // "order 123-45-6789": an SSN-shaped number is taken whatever precedes it — a wrong mask on
      // an order number costs less than an SSN sent to a remote model.
      return t.startsWith('order 123') ? kinds.join() !== 'national_id' : kinds.length > 0
    })
    expect(taken).toEqual([])
  })

  it('masks with the kind and keeps the rest of the sentence', () => {
    expect(redactPii('I was born on 12/03/1985, SSN 123-45-6789, at 221B Baker Street').text).toBe(
      'I was born on [BIRTH_DATE], SSN [NATIONAL_ID], at [ADDRESS]',
    )
  })

  it('NIR keys, Corsica included; never-issued SSNs are not SSNs', () => {
    expect(nirValid('1 85 05 78 006 084 91')).toBe(true)
    expect(nirValid('1 85 05 78 006 084 36')).toBe(false)
    expect(nirValid('2 69 05 2A 123 456 88')).toBe(true)
    const ids = (t: string) => redactPii(t).findings.filter((f) => f.kind === 'national_id')
    expect(ids('id 000-12-3456')).toEqual([])
    expect(ids('id 666-12-3456')).toEqual([])
    expect(ids('id 123-00-3456')).toEqual([])
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { fmtAge, fmtCount, fmtDateTime, fmtMoney, fmtRatio, setDisplayLocale } from './format'

afterEach(() => setDisplayLocale(undefined))

// Intl separates French thousands with a narrow no-break space (U+202F) and money with a no-break space.
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ')

describe('numbers in the organization’s locale', () => {
  it('en-US and fr-FR write the same API numbers their own way', () => {
    setDisplayLocale('en-US')
    expect(fmtCount(1234567)).toBe('1,234,567')
    expect(fmtMoney(1234.5, 'EUR')).toBe('€1,234.50')
    expect(fmtRatio(0.125)).toBe('12.5%')
    setDisplayLocale('fr-FR')
    expect(plain(fmtCount(1234567))).toBe('1 234 567')
    expect(plain(fmtMoney(1234.5, 'EUR'))).toBe('1 234,50 €')
    expect(plain(fmtRatio(0.125))).toBe('12,5 %')
    expect(fmtDateTime('2026-11-30T09:05:00Z')).toMatch(/30 nov\. 2026/)
  })

  it('says an age in the unit a person would', () => {
    setDisplayLocale('en-US')
    expect(fmtAge(0)).toBe('0 seconds ago')
    expect(fmtAge(42)).toBe('42 seconds ago')
    expect(fmtAge(5 * 60)).toBe('5 minutes ago')
    expect(fmtAge(3 * 3600)).toBe('3 hours ago')
    expect(fmtAge(3 * 86400)).toBe('3 days ago')
    expect(fmtAge(1)).toBe('1 second ago')
    setDisplayLocale('de-DE')
    expect(fmtAge(5000 * 86400)).toBe('5.000 days ago') // the words stay English, the number is German
  })
})

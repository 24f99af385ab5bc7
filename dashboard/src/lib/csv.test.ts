import { describe, expect, it } from 'vitest'
import { csvName, toCsv } from './csv'

describe('table CSV', () => {
  it('writes the header and each row as shown, CRLF-ended, quoting only where needed', () => {
    const csv = toCsv(
      ['intent', 'replies', 'unanswered rate'],
      [
        ['order_status', 3, 0],
        ['returns, refunds', 2, 0.5],
        ['say "hi"', null, true],
      ],
    )
    expect(csv).toBe(
      'intent,replies,unanswered rate\r\norder_status,3,0\r\n"returns, refunds",2,0.5\r\n"say ""hi""",,true\r\n',
    )
  })

  it('defuses spreadsheet formulas in text, not in numbers', () => {
    expect(toCsv(['a', 'b'], [['=SUM(A1)', -1]])).toBe("a,b\r\n'=SUM(A1),-1\r\n")
  })

  it('an empty table is its header alone', () => {
    expect(toCsv(['a'], [])).toBe('a\r\n')
  })

  it('names the file from its parts', () => {
    expect(csvName('Signals by intent', '2026-01-01', '2026-02-01')).toBe(
      'signals-by-intent-2026-01-01-2026-02-01.csv',
    )
  })
})

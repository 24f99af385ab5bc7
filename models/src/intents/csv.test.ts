import { describe, expect, it } from 'vitest'
import { parseCsv, parseLabelledCsv } from './csv.js'

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, commas and CRLF', () => {
    const src = 'text,category\r\n"Says ""pending"", why?",pending\nplain,x\n'
    expect(parseCsv(src)).toEqual([
      ['text', 'category'],
      ['Says "pending", why?', 'pending'],
      ['plain', 'x'],
    ])
    expect(parseLabelledCsv(src)).toEqual([
      { text: 'Says "pending", why?', intent: 'pending' },
      { text: 'plain', intent: 'x' },
    ])
  })
  it('keeps a last row without newline', () => {
    expect(parseCsv('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ])
  })
})

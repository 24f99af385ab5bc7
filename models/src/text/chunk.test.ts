import { describe, expect, it } from 'vitest'
import { chunkText } from './chunk.js'

describe('chunkText', () => {
  it('keeps a short document as one chunk', () => {
    expect(chunkText('Returns are free within 30 days.')).toEqual(['Returns are free within 30 days.'])
  })

  it('cuts long text at sentence boundaries under the limit, with overlap', () => {
    const text = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} talks about shipping.`).join(' ')
    const chunks = chunkText(text, { maxChars: 200, overlapSentences: 1 })
    expect(chunks.length).toBeGreaterThan(5)
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(200 + 50)
    // each chunk starts with the previous one's last sentence
    const lastOfFirst = chunks[0]!.split('. ').pop()!
    expect(chunks[1]!.startsWith(lastOfFirst.replace(/\.$/, ''))).toBe(true)
    expect(chunks.join(' ')).toContain('Sentence number 39')
  })

  it('keeps paragraphs together when they fit', () => {
    const chunks = chunkText('Shipping\n\nWe ship in 2 days.\n\nReturns\n\nFree for 30 days.', {
      maxChars: 30,
      overlapSentences: 0,
    })
    expect(chunks).toEqual(['Shipping We ship in 2 days.', 'Returns Free for 30 days.'])
  })
})

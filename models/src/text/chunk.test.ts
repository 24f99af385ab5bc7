import { describe, expect, it } from 'vitest'
import { chunkText } from './chunk.js'
import { estimatePieces, splitClauses, splitSentences } from './sentences.js'

describe('splitSentences', () => {
  it('ends sentences where a new one starts, not at decimals, domains, versions or abbreviations', () => {
    expect(
      splitSentences(
        'Plans cost 19.99 a month, e.g. the Basic plan. See example.com for v2.1 details! Dr. Smith answers. Is it 3.5 kg? Yes.',
      ),
    ).toEqual([
      'Plans cost 19.99 a month, e.g. the Basic plan.',
      'See example.com for v2.1 details!',
      'Dr. Smith answers.',
      'Is it 3.5 kg?',
      'Yes.',
    ])
  })

  it('keeps headings and list items apart and joins lines that were only wrapped', () => {
    expect(
      splitSentences(
        'Returns\n- Free within 30 days\n- Label in the Orders page\nWe refund to the card you paid\nwith, within 5 days.',
      ),
    ).toEqual([
      'Returns',
      '- Free within 30 days',
      '- Label in the Orders page',
      'We refund to the card you paid with, within 5 days.',
    ])
  })
})

describe('splitClauses', () => {
  it('cuts an over-long sentence at semicolons first, then commas, words last', () => {
    const long =
      'Standard delivery takes two to four business days; express delivery arrives the next day, before noon, for orders placed before two'
    const parts = splitClauses(long, 15)
    expect(parts[0]).toBe('Standard delivery takes two to four business days;')
    expect(parts.every((p) => p.length > 0)).toBe(true)
    expect(parts.join(' ')).toBe(long)
    expect(splitClauses('short one', 15)).toEqual(['short one'])
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ')
    expect(splitClauses(words, 20).every((p) => p.split(' ').length <= 20)).toBe(true)
  })
})

describe('chunkText', () => {
  it('keeps a short document as one chunk', () => {
    expect(chunkText('Returns are free within 30 days.')).toEqual(['Returns are free within 30 days.'])
  })

  it('packs whole sentences under the budget, with one sentence of overlap', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} talks about shipping.`)
    const chunks = chunkText(sentences.join(' '), { maxPieces: 50, overlapSentences: 1 })
    expect(chunks.length).toBeGreaterThan(5)
    for (const c of chunks) {
      expect(estimatePieces(c)).toBeLessThanOrEqual(50)
      // every chunk is made of whole sentences
      expect(splitSentences(c).every((s) => sentences.includes(s))).toBe(true)
    }
    const lastOfFirst = splitSentences(chunks[0]!).pop()!
    expect(chunks[1]!.startsWith(lastOfFirst)).toBe(true)
    expect(chunks.join(' ')).toContain('Sentence number 39')
  })

  it('never cuts a decimal or an abbreviation at a chunk boundary', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Item ${i} costs ${i}.99 e.g. at checkout.`).join(' ')
    for (const c of chunkText(text, { maxPieces: 40, overlapSentences: 0 }))
      expect(c).toMatch(
        /^Item \d+ costs \d+\.99 e\.g\. at checkout\.( Item \d+ costs \d+\.99 e\.g\. at checkout\.)*$/,
      )
  })

  it('keeps paragraphs together when they fit', () => {
    const chunks = chunkText('Shipping\n\nWe ship in 2 days.\n\nReturns\n\nFree for 30 days.', {
      maxPieces: 8,
      overlapSentences: 0,
    })
    expect(chunks).toEqual(['Shipping We ship in 2 days.', 'Returns Free for 30 days.'])
  })

  it('cuts a sentence longer than the budget at its clauses', () => {
    const long = `Our warranty covers ${Array.from({ length: 30 }, (_, i) => `part ${i}`).join(', ')}; everything else is excluded.`
    const chunks = chunkText(long, { maxPieces: 40, overlapSentences: 0 })
    expect(chunks.length).toBeGreaterThan(1)
    for (const c of chunks) expect(estimatePieces(c)).toBeLessThanOrEqual(40)
    expect(chunks.join(' ')).toBe(long)
  })
})

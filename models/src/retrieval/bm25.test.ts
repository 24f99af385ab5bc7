import { describe, expect, it } from 'vitest'
import { createBm25Index } from './bm25.js'
import { lexicalTerms } from './lexical-tokens.js'

describe('lexicalTerms', () => {
  it('keeps numbers and codes in every spelling a customer types, stems words, drops stop words', () => {
    expect(lexicalTerms('Is SKU-1234 in stock?')).toEqual(['sku-1234', 'sku1234', 'sku', '1234', 'stock'])
    expect(lexicalTerms('The A3 costs 19.99')).toEqual(['a3', 'cost', '19.99'])
    expect(lexicalTerms('Returns refunded')).toEqual(['return', 'refund'])
    expect(lexicalTerms("Café e-mail hasn't")).toEqual(['cafe', 'e-mail', 'email', 'mail', 'hasnt'])
  })
})

describe('createBm25Index', () => {
  const index = createBm25Index([
    { key: 'returns', text: 'Returns\nYou can return any item within 30 days of delivery.' },
    { key: 'returns', text: 'How do I send something back?' },
    { key: 'shipping', text: 'Shipping\nStandard delivery takes 2 to 4 business days.' },
    { key: 'a3', text: 'The A3 printer\nThe A3 prints on paper up to 297 × 420 mm, model SKU-1234.' },
  ])

  it('ranks the unit sharing the rarest terms first and collapses units of one key', () => {
    const hits = index.search('how many days to return an item', 10)
    expect(hits[0]!.key).toBe('returns')
    expect(hits.map((h) => h.key).filter((k) => k === 'returns')).toHaveLength(1)
  })

  it('matches codes and product names however they are written', () => {
    for (const q of ['sku 1234', 'SKU1234', 'do you have sku-1234?', 'a3 paper size'])
      expect(index.search(q, 1)[0]?.key, q).toBe('a3')
    expect(index.search('gift cards', 5)).toEqual([])
  })

  it('reads coverage as the share of the question it matches, comparable across bases', () => {
    const [full] = index.search('A3 printer', 1)
    const [half] = index.search('A3 scanner', 1)
    expect(full!.coverage).toBeGreaterThan(0.7)
    expect(half!.coverage).toBeLessThan(full!.coverage)
    expect(half!.coverage).toBeGreaterThan(0)
    expect(createBm25Index([]).search('anything', 3)).toEqual([])
  })
})

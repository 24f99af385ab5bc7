import { describe, expect, it } from 'vitest'
import { ERASED, needlesOf, scrubDocument, scrubGap, scrubList, scrubText } from './scrub.js'

const n = needlesOf({ name: 'Zelda Quist', email: 'zelda@example.org', phone: null }, [
  'Where is my parcel 4471, it is late',
  'thanks',
  '  Where is my parcel 4471, it is late  ',
])

describe('scrubbing a person out of derived text', () => {
  it('keeps one copy of each message and only identifiers of 3+ characters', () => {
    expect(n.messages).toEqual(['Where is my parcel 4471, it is late', 'thanks'])
    expect(n.identifiers).toEqual(['Zelda Quist', 'zelda@example.org'])
  })

  it('replaces quotes of long messages and identifiers, never short words inside others', () => {
    const text = 'Questions this answers: Where is my parcel 4471, it is late. Ask ZELDA QUIST; thanks!'
    expect(scrubText(text, n)).toBe(`Questions this answers: ${ERASED}. Ask ${ERASED}; thanks!`)
    expect(scrubText('mail zelda@example.org or zelda@example.org.uk', n)).toBe(
      `mail ${ERASED} or zelda@example.org.uk`,
    )
  })

  it('drops list items that are one of the messages, short ones included, and scrubs the rest', () => {
    expect(scrubList(['thanks', 'Where is my parcel?', 'I am Zelda Quist, help'], n)).toEqual([
      'Where is my parcel?',
      `I am ${ERASED}, help`,
    ])
  })

  it('changes a gap or a document whose only mention is inside a list item', () => {
    const gap = {
      label: 'Parcel questions',
      examples: ['Where is my parcel?', 'I am Zelda Quist, help'],
      drafted_answer: null,
      accepted_answer: 'Parcels arrive within five days.',
    }
    expect(scrubGap(gap, n)).toEqual({ ...gap, examples: ['Where is my parcel?', `I am ${ERASED}, help`] })
    expect(scrubGap({ ...gap, examples: ['Where is my parcel?'] }, n)).toBeNull()
    const doc = {
      title: 'Parcels',
      text: 'Parcels arrive within five days.',
      questions: ['I am Zelda Quist, help'],
    }
    expect(scrubDocument(doc, n)).toEqual({ ...doc, questions: [`I am ${ERASED}, help`] })
    expect(scrubDocument({ ...doc, questions: [] }, n)).toBeNull()
  })
})

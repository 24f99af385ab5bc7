import { describe, expect, it } from 'vitest'
import { cleanText, fromEmail } from './normalize.js'

describe('channel adapters', () => {
  it('cleans control characters and whitespace', () => {
    expect(cleanText('  hello\u0000   world \n\n\n\n bye ')).toBe('hello world \n\n bye')
  })
  it('email keeps the new text and the subject, drops quoted history', () => {
    const m = fromEmail({
      from: 'Jane@Example.com',
      fromName: 'Jane',
      subject: 'Late parcel',
      text: 'Where is order 1234?\nThanks\n\nOn Mon, 1 Jan 2026 Shop wrote:\n> We shipped it\n> yesterday',
      messageId: '<abc@mail>',
    })
    expect(m).toEqual({
      channel: 'email',
      text: 'Late parcel\nWhere is order 1234?\nThanks',
      contact: { email: 'jane@example.com', name: 'Jane' },
      externalId: '<abc@mail>',
    })
  })
  it('a reply subject is not repeated as a question', () => {
    expect(fromEmail({ from: 'a@b.co', subject: 'Re: Late parcel', text: 'still nothing' }).text).toBe(
      'still nothing',
    )
  })
})

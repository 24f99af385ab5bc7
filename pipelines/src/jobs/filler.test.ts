import { describe, expect, it } from 'vitest'
import { questionTitle, removeFiller } from './filler.js'

describe('filler removal before a question is embedded', () => {
  it('takes the demo’s shared “Quick question:” opener off, keeping each question’s content', () => {
    // The demo's queue lumped these four into one gap labelled "question, quick, apple".
    expect(
      [
        'Quick question: is there free shipping?',
        "Quick question: my discount code isn't working",
        'Quick question: do you take Apple Pay?',
        "Quick question: it's been a week and still no delivery",
      ].map(removeFiller),
    ).toEqual([
      'is there free shipping?',
      "my discount code isn't working",
      'do you take Apple Pay?',
      "it's been a week and still no delivery",
    ])
  })

  it('greetings, openers and hedges, repeatedly, in either apostrophe', () => {
    expect(removeFiller('Hi there! Quick question: I was wondering if you take Apple Pay? Thanks!')).toBe(
      'you take Apple Pay?',
    )
    expect(removeFiller('Hello, good morning — where is my refund?')).toBe('where is my refund?')
    expect(removeFiller('Hey — I’d like to know whether you ship to Canada')).toBe('you ship to Canada')
    expect(removeFiller("I'd like to know whether you ship to Canada")).toBe('you ship to Canada')
    expect(removeFiller('Sorry to bother you, can you tell me how to reset my PIN?')).toBe(
      'how to reset my PIN?',
    )
    expect(removeFiller('I have a question for you: why was I charged twice?')).toBe(
      'why was I charged twice?',
    )
    expect(removeFiller('Dear support team, my card is blocked')).toBe('my card is blocked')
  })

  it('politeness, sign-offs and emoji', () => {
    expect(removeFiller('Can you please check my order 123? Thanks in advance :)')).toBe(
      'Can you check my order 123?',
    )
    expect(removeFiller('where is my parcel, cheers 🙏')).toBe('where is my parcel')
    expect(removeFiller('Need an invoice please. Kind regards')).toBe('Need an invoice')
    expect(removeFiller('Is there free shipping? Thank you so much for your help!')).toBe(
      'Is there free shipping?',
    )
  })

  it('keeps content words that look like filler', () => {
    expect(removeFiller('What is the best card for travel?')).toBe('What is the best card for travel?')
    expect(removeFiller('hiking boots in stock?')).toBe('hiking boots in stock?')
    expect(removeFiller('Can you help me with my card?')).toBe('Can you help me with my card?')
    expect(removeFiller('Tell me about your return policy')).toBe('Tell me about your return policy')
  })

  it('pure filler is nothing', () => {
    for (const t of ['Hi!', 'thanks', 'Hello there :)', 'Hi, thank you so much for your help!', '🙏', ''])
      expect(removeFiller(t)).toBe('')
  })

  it('a title reads as the question', () => {
    expect(questionTitle('Quick question: do you take Apple Pay?')).toBe('Do you take Apple Pay?')
    expect(questionTitle('thanks')).toBe('Thanks')
  })
})

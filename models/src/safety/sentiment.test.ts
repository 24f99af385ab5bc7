import { describe, expect, it } from 'vitest'
import { detectNegativeSentiment } from './sentiment.js'

describe('detectNegativeSentiment', () => {
  it('flags clearly negative messages', () => {
    for (const t of [
      'This is terrible, my order is late again',
      'Worst service ever. I want to speak to a lawyer!',
      'I am very disappointed and frustrated',
      'THIS IS UNACCEPTABLE!!!',
    ]) {
      expect(detectNegativeSentiment(t).negative, t).toBe(true)
    }
  })

  it('handles negation both ways', () => {
    expect(detectNegativeSentiment('This is not good at all').negative).toBe(true)
    expect(detectNegativeSentiment('Not bad, thanks for the help').negative).toBe(false)
    expect(detectNegativeSentiment("I'm not unhappy with it").negative).toBe(false)
  })

  it('leaves neutral and positive messages alone', () => {
    expect(detectNegativeSentiment('What time do you open on Saturday?')).toEqual({
      negative: false,
      score: 0,
    })
    const pos = detectNegativeSentiment('Great, that solved it, thank you!')
    expect(pos.negative).toBe(false)
    expect(pos.score).toBeGreaterThan(0.5)
  })

  it('amplifies with boosters', () => {
    expect(detectNegativeSentiment('very bad').score).toBeLessThan(detectNegativeSentiment('bad').score)
  })
})

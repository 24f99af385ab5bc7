import { describe, expect, it } from 'vitest'
import { checkBlockedTopics } from './topics.js'

describe('checkBlockedTopics', () => {
  const topics = [
    'medical diagnosis',
    'legal advice',
    { topic: 'competitors', keywords: ['amazon', 'zalando'] },
  ]

  it('matches phrases by content words, stemmed, in any order', () => {
    expect(checkBlockedTopics('Can you give me some advice on a legal dispute?', topics)).toEqual({
      blocked: true,
      topics: ['legal advice'],
    })
    expect(checkBlockedTopics('Is it cheaper on Amazon?', topics).topics).toEqual(['competitors'])
    expect(checkBlockedTopics('I need a diagnosis, is this medical issue serious?', topics).topics).toEqual([
      'medical diagnosis',
    ])
  })

  it('does not match on a single shared word', () => {
    expect(checkBlockedTopics('Is this legal to return?', topics)).toEqual({ blocked: false, topics: [] })
    expect(checkBlockedTopics('anything', [])).toEqual({ blocked: false, topics: [] })
  })
})

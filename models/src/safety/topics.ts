import { STOPWORDS, stem, tokenize } from '../text/text-features.js'

/** A topic is a phrase ("medical diagnosis") or a name with trigger keywords/phrases. */
export type BlockedTopic = string | { topic: string; keywords: string[] }

export interface BlockedTopicResult {
  blocked: boolean
  /** Names of the topics that matched. */
  topics: string[]
}

const contentStems = (text: string): string[] =>
  tokenize(text)
    .filter((w) => !STOPWORDS.has(w))
    .map(stem)

/**
 * A phrase matches when every content word of it appears (stemmed) in the text, so
 * "legal advice" catches "I need advice on a legal dispute" but not "legal" alone.
 */
function phraseMatches(textStems: Set<string>, phrase: string): boolean {
  const words = contentStems(phrase)
  return words.length > 0 && words.every((w) => textStems.has(w))
}

/** Check a message against a vertical's blocked topics. */
export function checkBlockedTopics(text: string, topics: readonly BlockedTopic[]): BlockedTopicResult {
  const textStems = new Set(contentStems(text))
  const matched = topics.filter((t) =>
    typeof t === 'string'
      ? phraseMatches(textStems, t)
      : [t.topic, ...t.keywords].some((k) => phraseMatches(textStems, k)),
  )
  const names = matched.map((t) => (typeof t === 'string' ? t : t.topic))
  return { blocked: names.length > 0, topics: names }
}

import type { Embedder } from '@luneo/models'

/**
 * A deterministic embedder for job tests: a text is placed on the axis of the first of `words` it
 * contains (any case), or on one more axis when it names none, so every cosine is 0 or 1 and which
 * question falls in which gap is known without a model.
 */
export function createTopicEmbedder(id: string, words: readonly string[]): Embedder {
  return {
    id,
    dimension: words.length + 1,
    grounding: { threshold: 0.5, questionScale: 1 },
    embed: async (texts) =>
      texts.map((t) => {
        const v = new Array<number>(words.length + 1).fill(0)
        const i = words.findIndex((w) => t.toLowerCase().includes(w))
        v[i === -1 ? words.length : i] = 1
        return v
      }),
  }
}

/** Gift → x, shipping → y, anything else → z. */
export const topicEmbedder: Embedder = createTopicEmbedder('topic-words-v1', ['gift', 'ship'])

import type { Embedder } from '@luneo/models'

/**
 * A deterministic embedder for job tests: a text is placed by its topic word (gift → x,
 * shipping → y, anything else → z), so which question falls in which gap is known without a model.
 */
export const topicEmbedder: Embedder = {
  id: 'topic-words-v1',
  dimension: 3,
  grounding: { threshold: 0.5, questionScale: 1 },
  embed: async (texts) =>
    texts.map((t) => (/gift/i.test(t) ? [1, 0, 0] : /ship/i.test(t) ? [0, 1, 0] : [0, 0, 1])),
}

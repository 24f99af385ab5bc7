import type { Embedder } from '@luneo/models'

/**
 * What the embedder is asked for: inside a turn, the customer's question (retrieval) and the
 * sentences of the chunks the local provider answers from; outside, documents being indexed.
 */
export type EmbedPurpose = 'query' | 'answer' | 'index'

export interface EmbedStats {
  calls: number
  texts: number
  /** Milliseconds spent, all calls. */
  ms: number
  /** Over the most recent calls (a window of WINDOW), 0 before the first. */
  p50Ms: number
  p95Ms: number
}

/** Times the embed calls of the process, per purpose: /metrics shows them (the bench reads it). */
export interface EmbedTimings {
  record(purpose: EmbedPurpose, ms: number, texts: number): void
  stats(purpose: EmbedPurpose): EmbedStats
}

/** Recent calls kept per purpose for the percentiles (a ring buffer: 80 KB). */
const WINDOW = 10_000

export function createEmbedTimings(): EmbedTimings {
  const of = () => ({ calls: 0, texts: 0, ms: 0, recent: new Float64Array(WINDOW) })
  const all: Record<EmbedPurpose, ReturnType<typeof of>> = { query: of(), answer: of(), index: of() }
  return {
    record(purpose, ms, texts) {
      const s = all[purpose]
      s.recent[s.calls % WINDOW] = ms
      s.calls += 1
      s.texts += texts
      s.ms += ms
    },
    stats(purpose) {
      const s = all[purpose]
      const recent = s.recent.slice(0, Math.min(s.calls, WINDOW)).sort()
      const at = (p: number) =>
        recent.length ? recent[Math.min(recent.length - 1, Math.floor(p * recent.length))]! : 0
      return { calls: s.calls, texts: s.texts, ms: s.ms, p50Ms: at(0.5), p95Ms: at(0.95) }
    },
  }
}

/** The embedder, its calls recorded under `purpose`. */
export function timedEmbedder(embedder: Embedder, purpose: EmbedPurpose, timings: EmbedTimings): Embedder {
  return {
    ...embedder,
    async embed(texts) {
      const t0 = performance.now()
      try {
        return await embedder.embed(texts)
      } finally {
        timings.record(purpose, performance.now() - t0, texts.length)
      }
    },
  }
}

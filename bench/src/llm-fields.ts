import type { Rng } from './rng.js'

/**
 * The model part of a generated `reply.sent`: gpt-4o-mini's tokens, its list-price cost (0.15 / 0.60
 * USD per million) and a latency — one shape for the data generator and the pipelines bench.
 */
export function llmReplyFields(rng: Rng, escalated: boolean) {
  const promptTokens = rng.int(350, 900)
  const completionTokens = rng.int(30, 160)
  return {
    provider: 'openai' as const,
    model: 'gpt-4o-mini',
    fallback: false,
    promptTokens,
    completionTokens,
    costUsd: (promptTokens * 0.15 + completionTokens * 0.6) / 1e6,
    latencyMs: rng.int(250, 2_500),
    escalated,
  }
}

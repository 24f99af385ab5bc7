import OpenAI from 'openai'
import type { GroundingCalibration } from '../retrieval/grounding.js'
import type { Embedder } from './embedder.js'
import { UNCALIBRATED_GROUNDING } from './calibrations.js'

export interface OpenAIEmbedderOptions {
  baseURL: string
  apiKey: string
  model: string
  timeoutMs?: number
  /** Vector size the model returns; 1536 for text-embedding-3-small. */
  dimension?: number
  maxRetries?: number
  /** Inputs per request; the API accepts up to 2048. */
  batchSize?: number
  /** Score calibration of this model's space (default: none fitted, the semantic score decides). */
  grounding?: GroundingCalibration
}

/** Embeddings from any OpenAI-compatible `/v1/embeddings` endpoint. */
export function createOpenAIEmbedder(opts: OpenAIEmbedderOptions): Embedder {
  const client = new OpenAI({
    baseURL: opts.baseURL,
    apiKey: opts.apiKey,
    timeout: opts.timeoutMs ?? 10_000,
    maxRetries: opts.maxRetries ?? 2,
  })
  const batchSize = opts.batchSize ?? 256
  return {
    id: `openai:${opts.model}`,
    dimension: opts.dimension ?? 1536,
    // Not calibrated for any remote model yet: the values deployments on OpenAI have run with.
    grounding: opts.grounding ?? UNCALIBRATED_GROUNDING,
    async embed(texts) {
      const out: number[][] = []
      for (let i = 0; i < texts.length; i += batchSize) {
        const batch = texts.slice(i, i + batchSize)
        // Ask for floats: base64 (the SDK's default) is not supported by every compatible server.
        const res = await client.embeddings.create({
          model: opts.model,
          input: batch,
          encoding_format: 'float',
        })
        // The API may return items out of order; `index` is authoritative.
        const sorted = [...res.data].sort((a, b) => a.index - b.index)
        for (const item of sorted) out.push(item.embedding)
      }
      return out
    },
  }
}

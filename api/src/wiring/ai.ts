// Wiring: the AI parts (embedder, provider, knowledge index, engine) chosen by config.
import {
  createLocalEmbedder,
  createLocalProvider,
  createOpenAIEmbedder,
  createOpenAIProvider,
  loadTemplates,
} from '@luneo/models'
import type { Db } from '@luneo/warehouse'
import { pricesFor, type Config } from '../config.js'
import type { AiParts } from '../context.js'
import { createChromaIndex } from '../knowledge/knowledge-index.js'
import { createEngine } from '../orchestrator/engine.js'

/**
 * The AI side of the app from config: local provider + model-free embedder by default, the
 * OpenAI-compatible ones (with the local provider as fallback) when OPENAI_* is set.
 */
export function createAiParts(
  config: Config,
  db: Db,
  chromaUrl: string,
  onEventsCommitted?: () => void,
): AiParts {
  const local = createLocalProvider({ minScore: config.minGroundingScore })
  const provider = config.openai
    ? createOpenAIProvider({
        baseURL: config.openai.baseURL,
        apiKey: config.openai.apiKey,
        timeoutMs: config.openai.timeoutMs,
        fallback: local,
        minScore: config.minGroundingScore,
      })
    : local
  const embedder =
    config.embeddings === 'openai' && config.openai
      ? createOpenAIEmbedder({
          baseURL: config.openai.baseURL,
          apiKey: config.openai.apiKey,
          model: config.openai.embeddingModel,
          timeoutMs: config.openai.timeoutMs,
        })
      : createLocalEmbedder()
  const index = createChromaIndex(chromaUrl, embedder)
  const engine = createEngine({
    db,
    index,
    provider,
    templates: loadTemplates(),
    prices: pricesFor(config),
    defaultModel: config.openai ? config.openai.model : 'local',
    minGroundingScore: config.minGroundingScore,
    ...(onEventsCommitted ? { onEventsCommitted } : {}),
  })
  return { embedder, provider, index, engine }
}

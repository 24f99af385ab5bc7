// Wiring: the AI parts (embedder, provider, knowledge index, engine) chosen by config.
import {
  DEFAULT_BGE_SMALL_DIR,
  createLocalEmbedder,
  createLocalProvider,
  createBgeSmallEmbedder,
  createOpenAIEmbedder,
  createOpenAIProvider,
  hasBgeSmallModel,
  loadTemplates,
  type Embedder,
} from '@luneo/models'
import type { Db } from '@luneo/warehouse'
import { pricesFor, type Config } from '../config.js'
import type { AiParts, FaultPoint } from '../context.js'
import { createEmbedTimings, timedEmbedder } from '../knowledge/embed-timings.js'
import { createKnowledgeIndex } from '../knowledge/knowledge-index.js'
import { createLexicalIndex } from '../knowledge/lexical-index.js'
import { createChromaStore } from '../knowledge/vector-store.js'
import { createEngine } from '../orchestrator/engine.js'

/**
 * The retrieval embedder from config. `local` is bge-small-en-v1.5 when `make install` put its files
 * in place; without them it is the hashing embedder, and one log line says so and how to install.
 */
export async function createEmbedder(config: Config, log: (line: string) => void): Promise<Embedder> {
  if (config.embeddings === 'openai' && config.openai)
    return createOpenAIEmbedder({
      baseURL: config.openai.baseURL,
      apiKey: config.openai.apiKey,
      model: config.openai.embeddingModel,
      timeoutMs: config.openai.timeoutMs,
    })
  if (config.embeddings !== 'local') return createLocalEmbedder()
  const modelDir = config.embeddingModelDir ?? DEFAULT_BGE_SMALL_DIR
  if (hasBgeSmallModel(modelDir)) return createBgeSmallEmbedder({ modelDir })
  log(
    `embeddings: bge-small model not found in ${modelDir}; falling back to the hashing (lexical) embedder. ` +
      'Install it with `make install` (infra/models/fetch-bge-small.sh), or set LUNEO_EMBEDDINGS=hashing to choose the fallback.',
  )
  return createLocalEmbedder()
}

/**
 * The AI side of the app from config: local provider + the embedder above by default, the
 * OpenAI-compatible ones (with the local provider as fallback) when OPENAI_* is set. The grounding
 * threshold is the embedder's own unless LUNEO_MIN_GROUNDING_SCORE overrides it. Retrieval is
 * hybrid (ADR 0015): Chroma's vectors and BM25 over the Postgres chunks, fused.
 */
export async function createAiParts(
  config: Config,
  db: Db,
  chromaUrl: string,
  onEventsCommitted?: () => void,
  log: (line: string) => void = console.error,
  faultPoint?: FaultPoint,
): Promise<AiParts> {
  const embedder = await createEmbedder(config, log)
  const minGroundingScore = config.minGroundingScore ?? embedder.grounding.threshold
  const embedTimings = createEmbedTimings()
  const queries = timedEmbedder(embedder, 'query', embedTimings)
  // The local provider picks the answer's sentences in the vector space retrieval ranked them in.
  const local = createLocalProvider({
    minScore: minGroundingScore,
    embedder: timedEmbedder(embedder, 'answer', embedTimings),
  })
  const provider = config.openai
    ? createOpenAIProvider({
        baseURL: config.openai.baseURL,
        apiKey: config.openai.apiKey,
        timeoutMs: config.openai.timeoutMs,
        fallback: local,
        minScore: minGroundingScore,
      })
    : local
  const index = createKnowledgeIndex(
    createChromaStore(chromaUrl, timedEmbedder(embedder, 'index', embedTimings)),
    createLexicalIndex(db),
    embedder,
    async (text) => (await queries.embed([text]))[0]!,
  )
  const engine = createEngine({
    db,
    index,
    provider,
    templates: loadTemplates(),
    prices: pricesFor(config),
    defaultModel: config.openai ? config.openai.model : 'local',
    minGroundingScore,
    ...(onEventsCommitted ? { onEventsCommitted } : {}),
    ...(faultPoint ? { faultPoint } : {}),
  })
  // Gap clustering and lift run on this embedder (tuned per vector space; stored gaps record which
  // embedder made them and are re-embedded when it changes: ADR 0016). Rephrase detection's
  // threshold was tuned in the hashing space: it keeps that embedder until it is re-tuned.
  const rephraseEmbedder = embedder.id.startsWith('bge-small') ? createLocalEmbedder() : embedder
  return { embedder, rephraseEmbedder, provider, index, engine, minGroundingScore, embedTimings }
}

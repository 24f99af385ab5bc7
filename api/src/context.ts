import type { Embedder, LlmProvider } from '@luneo/models'
import type { StreamProgress } from '@luneo/ingest'
import type { PipelineRunner } from '@luneo/pipelines'
import type { Ch, Db } from '@luneo/warehouse'
import type { Config } from './config.js'
import type { KeyCache } from './auth/key-cache.js'
import type { EmbedTimings } from './knowledge/embed-timings.js'
import type { KnowledgeIndex } from './knowledge/knowledge-index.js'
import type { Engine } from './orchestrator/types.js'

/** Throws to fail the write in flight at a named point (the atomicity test's seam). */
export type FaultPoint = (point: string) => void

/** The AI side: embedder, LLM provider, knowledge index (Chroma) and the conversation engine. */
export interface AiParts {
  /** Retrieval: what the knowledge index embeds documents and questions with. */
  embedder: Embedder
  /** Rephrase detection in the pipelines (wiring/ai.ts says why it may differ); gaps use `embedder`. */
  rephraseEmbedder: Embedder
  provider: LlmProvider
  index: KnowledgeIndex
  engine: Engine
  /** The grounding threshold in force: LUNEO_MIN_GROUNDING_SCORE, else the embedder's own. */
  minGroundingScore: number
  /** The embed calls of questions (inside turns) and of indexing, timed (/metrics). */
  embedTimings?: EmbedTimings
}

/** What the API needs from the outside world, built once at start (wiring/stores.ts) and passed in. */
export interface AppDeps {
  config: Config
  db: Db
  ch: Ch
  /** HMAC key for access tokens. */
  secret: string
  stores: { postgres: 'pglite' | 'postgres'; clickhouse: 'chdb' | 'server' }
  ai: AiParts
  /** Runs the organization-scoped pipeline jobs now (analytics refresh) or all of them. */
  pipelines: PipelineRunner
  /**
   * The Kafka sink's progress, when events go outbox → Kafka → sink (KAFKA_BROKERS): a refresh
   * waits for it too. Absent: a drainer writes straight to ClickHouse and marks rows after.
   */
  streamProgress?: StreamProgress
  /** Called after a request committed a queued email, so the email dispatcher sends it at once. */
  onEmailQueued?: () => void
  /** Called after a request committed events, so the drainer moves them without waiting for its poll. */
  onEventsCommitted?: () => void
  /**
   * Test seam for the atomicity test: called at named points inside write transactions (between
   * the domain insert and the outbox insert, the audit row, the session…). Production leaves it unset.
   */
  faultPoint?: FaultPoint
  /** API-key principals for a few seconds (one lookup fewer per machine request). */
  keyCache?: KeyCache
  /** The privacy worker (erasures, vector deletions): woken when a request is made. Unset in tests that run it by hand. */
  privacy?: { nudge(): void }
  /** Rows waiting in the outbox (for /metrics). */
  outboxBacklog?: () => Promise<number>
}

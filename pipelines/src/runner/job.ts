import type { Ch, Db } from '@luneo/warehouse'
import type { Embedder, LlmProvider } from '@luneo/models'
import type { ConversationReads } from '../jobs/conversation-events.js'

/** What a job may use. Everything is passed in; jobs read no environment. */
export interface PipelineDeps {
  db: Db
  ch: Ch
  /** What gap clustering and the lift of accepted gaps embed questions with (the semantic model). */
  embedder: Embedder
  /**
   * Rephrase detection (learning signals): its threshold was tuned in the hashing space, so it may
   * keep that embedder until it is re-tuned (ADR 0016). Defaults to `embedder`.
   */
  rephraseEmbedder?: Embedder | undefined
  provider: LlmProvider
  /** Search the organization's knowledge (drafting gap answers grounded in nearby knowledge). */
  searchKnowledge?: (
    organizationId: string,
    text: string,
  ) => Promise<{ title: string; text: string; score: number }[]>
  /**
   * The transcript judge for *verified* resolution: a configured remote model. Absent with the
   * local provider (it cannot judge), and the verified rate then reads null — never a guess.
   */
  judge?: { provider: LlmProvider; model: string; sampleRate: number } | undefined
  /** The chat model `provider` should use (drafting gap answers); `local` for the local provider. */
  model?: string | undefined
  /** Progress lines (rows in/out, time per job). */
  log?: (line: string) => void
}

export interface JobContext extends PipelineDeps {
  /** The organization this run is for; null for jobs that span organizations. */
  organizationId: string | null
  /** The window of events to (re)compute: [from, to). */
  from: Date
  to: Date
  /** True for a rebuild from scratch. */
  full: boolean
  /** The previous run's watermark (null on a first or full run): what is new since then. */
  since: Date | null
  /** The run's shared conversation reads (runJobs makes one per run); none: each job reads its own. */
  reads?: ConversationReads | undefined
}

export interface JobResult {
  rowsIn: number
  rowsOut: number
}

export interface Job {
  name: string
  scope: 'organization' | 'global'
  /**
   * How far before the watermark an incremental run starts again. A result that depends on
   * later events (abandonment, assumed resolution) is recomputed until its window has closed.
   */
  lookbackMs: number
  run(ctx: JobContext): Promise<JobResult>
}

/** Declares a pipeline job: incremental (watermark per organization) and idempotent (keyed results). */
export const defineJob = (job: Job): Job => job

// Wiring: what the pipelines get from the api's world (stores, embedder, provider, knowledge
// search, judge). The jobs, their order, the runner, the scheduler and the CLI are
// @luneo/pipelines' own; adding a job touches no file here.
import type { PipelineDeps } from '@luneo/pipelines'
import { listKnowledgeBaseIds } from '@luneo/warehouse'
import type { AppDeps } from '../context.js'

/** The pipelines' view of the app: stores, models, knowledge search and the judge, from config. */
export function pipelineDeps(deps: Omit<AppDeps, 'pipelines'>, log?: (line: string) => void): PipelineDeps {
  return {
    db: deps.db,
    ch: deps.ch,
    embedder: deps.ai.embedder,
    rephraseEmbedder: deps.ai.rephraseEmbedder,
    provider: deps.ai.provider,
    searchKnowledge: async (organizationId, text) =>
      deps.ai.index.query(organizationId, await listKnowledgeBaseIds(deps.db, organizationId), text, 3),
    model: deps.config.openai?.model ?? 'local',
    // Only a configured remote model judges transcripts (verified resolution); the local one cannot.
    judge: deps.config.openai
      ? {
          provider: deps.ai.provider,
          model: deps.config.openai.model,
          sampleRate: deps.config.judgeSampleRate,
        }
      : undefined,
    ...(log ? { log } : {}),
  }
}

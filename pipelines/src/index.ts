// @luneo/pipelines — incremental, idempotent jobs that turn events into signals, outcomes, gaps,
// benchmarks and tuning state.
export { defineJob, type Job, type JobContext, type JobResult, type PipelineDeps } from './runner/job.js'
export { runJob, runJobs, GLOBAL_SCOPE, type RunOptions, type RunReport } from './runner/run.js'
export { pipelineMigrations } from './sql/migrations.js'
export { learningSignals } from './jobs/learning-signals.job.js'
export { conversationOutcomes } from './jobs/conversation-outcomes.job.js'
export {
  replySignals,
  conversationOutcome,
  ABANDON_AFTER_MS,
  REPHRASE_WITHIN_MS,
  REPHRASE_SIMILARITY,
  type ReplySignals,
  type ConversationOutcome,
  type OutcomeSettings,
  type OutcomeStatus,
} from './jobs/definitions.js'
export { loadConversations, chTime, type ConvEvent } from './jobs/conversation-events.js'

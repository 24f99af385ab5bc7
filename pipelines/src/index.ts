// @luneo/pipelines — incremental, idempotent jobs that turn events into signals, outcomes, gaps,
// benchmarks and tuning state.
export { defineJob, type Job, type JobContext, type JobResult, type PipelineDeps } from './runner/job.js'
export { runJob, runJobs, GLOBAL_SCOPE, type RunOptions, type RunReport } from './runner/run.js'
export { organizationJobs, globalJobs, maintenanceJobs, pickJobs } from './runner/jobs.js'
export { retention } from './jobs/retention.job.js'
export { retentionCutoffs, ranToday, type RetentionCutoffs } from './jobs/retention.js'
export {
  createPipelineRunner,
  RefreshBusyError,
  type PipelineRunner,
  type RefreshOptions,
  type RunAllOptions,
} from './runner/pipeline-runner.js'
export { PipelineScheduler, type SchedulerOptions } from './runner/scheduler.js'
export { runPipelinesCli, type OpenedRunner } from './cli.js'
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
export {
  createConversationReads,
  loadConversations,
  type ConversationReads,
  type ConvEvent,
} from './jobs/conversation-events.js'
export { createKnowledgeGaps, knowledgeGaps } from './jobs/knowledge-gaps.job.js'
export {
  GAP_DEFAULTS,
  PLACEHOLDER_MARK,
  DRAFT_MARK,
  gapScore,
  gapOptionsFor,
  escalationCost,
  type GapOptions,
  type CostAssumptions,
} from './jobs/gaps.js'
export { gapLift } from './jobs/gap-lift.job.js'
export { LIFT_BEFORE_DAYS, gapOfQuestion } from './jobs/gap-lift.js'
export { clusterByThreshold, averageLinkageMerges, centroid, cosineSimilarity } from './jobs/clustering.js'
export { createVariantScoring, variantScoring, variantStats } from './jobs/variant-scoring.job.js'
export {
  VARIANT_DEFAULTS,
  scoreVariants,
  type VariantDecision,
  type VariantScoringOptions,
  type VariantStats,
  type Posterior,
} from './jobs/variant-scoring.js'
export { logBayesFactor, stopDecision, type Evidence } from './jobs/stop-rule.js'
export {
  simulateExperiment,
  simulateExperiments,
  seedRange,
  STOP_RULE_SCENARIOS,
  STOP_RULE_LOOKS,
  CALIBRATION_SEEDS,
  REPORT_SEEDS,
  type ArmTruth,
  type SimulationSetup,
  type SimulationSummary,
} from './jobs/variant-simulation.js'
export { betaSample, probabilityBest, seededRandom, seedOf } from './jobs/beta.js'
export { createVerticalInsights, verticalInsights } from './jobs/vertical-insights.job.js'
export {
  K_ANONYMITY,
  BENCHMARK_METRICS,
  quantile,
  verticalBenchmarks,
  type BenchmarkMetric,
} from './jobs/vertical-insights.js'
export { verifiedResolution } from './jobs/verified-resolution.job.js'
export { parseVerdict, inSample, JUDGE_SYSTEM, transcript, type Verdict } from './jobs/verified-resolution.js'
export { removeFiller, questionTitle } from './jobs/filler.js'
export { purity, adjustedRandIndex, majorityLabel, topGapAccuracy } from './jobs/cluster-quality.js'

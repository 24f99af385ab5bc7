// Test and tuning helpers: import from '@luneo/pipelines/testing', never from production code.
export {
  failedQuestionScenario,
  missingIntents,
  type GapScenario,
  type ScenarioOptions,
  type ScenarioQuestion,
} from './gap-scenario.js'
export { topicEmbedder } from './topic-embedder.js'

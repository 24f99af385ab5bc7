// @luneo/models — the AI layer. Everything public is named here; other packages import only this.

// Embeddings
export { type Embedder, cosine } from './embeddings/embedder.js'
export {
  createLocalEmbedder,
  HASHING_GROUNDING,
  embedText,
  type LocalEmbedderOptions,
  type FeatureWeights,
} from './embeddings/local-embedder.js'
export { createOpenAIEmbedder, type OpenAIEmbedderOptions } from './embeddings/openai-embedder.js'
export { UNCALIBRATED_GROUNDING } from './embeddings/calibrations.js'
export {
  createBgeSmallEmbedder,
  hasBgeSmallModel,
  DEFAULT_BGE_SMALL_DIR,
  BGE_SMALL_GROUNDING,
  type BgeSmallEmbedderOptions,
} from './embeddings/bge-embedder.js'

// Retrieval: lexical search, fusion with the semantic hits, calibrated grounding
export { GroundingCalibration, HybridModel } from './retrieval/grounding.js'
export { lexicalTerms } from './retrieval/lexical-tokens.js'
export {
  createBm25Index,
  type Bm25Index,
  type Bm25Options,
  type LexicalHit,
  type LexicalUnit,
} from './retrieval/bm25.js'
export {
  GROUNDING_FEATURES,
  candidateChunks,
  groundingFeatures,
  phrasingTightness,
  rankCandidates,
  semanticScore,
  type CandidateEvidence,
  type RankedCandidate,
  type SemanticHit,
} from './retrieval/hybrid.js'
export { LogisticModel, fitLogistic, predictLogistic, type FitOptions } from './retrieval/logistic.js'

// Text utilities shared by the models
export { normalizeText, tokenize, stem, createRng } from './text/text-features.js'
export { chunkText, type ChunkOptions } from './text/chunk.js'

// Intent classification
export {
  trainIntentClassifier,
  loadIntentClassifier,
  type IntentClassifier,
  type IntentClassifierJSON,
  type IntentExample,
  type IntentPrediction,
  type TrainOptions,
} from './intents/intent-classifier.js'
export { expectedCalibrationError } from './intents/calibration.js'
export { parseCsv, parseLabelledCsv } from './intents/csv.js'

// Safety
export {
  redactPii,
  luhnValid,
  ibanValid,
  nirValid,
  type PiiKind,
  type PiiFinding,
  type RedactionResult,
} from './safety/pii.js'
export { detectPromptInjection, canonicalize, type InjectionResult } from './safety/injection.js'
export { checkBlockedTopics, type BlockedTopic, type BlockedTopicResult } from './safety/topics.js'
export { detectNegativeSentiment, type SentimentResult } from './safety/sentiment.js'

// Vertical templates
export {
  VerticalTemplate,
  TemplateIntent,
  Tone,
  Workflow,
  Kpi,
  Escalation,
  OnboardingQuestion,
} from './templates/schema.js'
export {
  loadTemplates,
  getTemplate,
  listTemplates,
  parseTemplate,
  templateExamples,
} from './templates/templates.js'

// LLM providers
export {
  bestScore,
  estimateTokens,
  type ChatMessage,
  type CompletionContext,
  type CompletionRequest,
  type CompletionResult,
  type ContextChunk,
  type LlmProvider,
  type Usage,
} from './providers/types.js'
export { createLocalProvider, type LocalProviderOptions } from './providers/local-provider.js'
export { isAbstention, type AbstentionOptions } from './providers/abstention.js'
export { createOpenAIProvider, isRetryable, type OpenAIProviderOptions } from './providers/openai-provider.js'
export { priceTable, costUsd, findPrice, type ModelPrice, type PriceTable } from './providers/pricing.js'

// Prompts
export { renderPrompt, promptVariables, type PromptVars } from './prompts/render.js'
export { buildSystemPrompt, DEFAULT_SYSTEM_PROMPT, type SystemPromptInput } from './prompts/system-prompt.js'
export { ReplyStyle, parseReplyStyle, styleInstructions } from './prompts/reply-style.js'

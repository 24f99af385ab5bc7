import { z } from 'zod'
import { LogisticModel } from './logistic.js'

/**
 * A fitted grounding model (retrieval/hybrid.ts reads it): `ranker` orders the candidate chunks
 * (P(this chunk is the answer)); an answer model reads the first one's features and says how
 * likely the knowledge answers the question at all — `answer` when that chunk has FAQ phrasings,
 * `answerChunk` when it has only its text (the two paths' cosines do not read alike: question to
 * question runs higher than question to answer). `features` names the inputs, in order.
 */
export const HybridModel = z.object({
  features: z.array(z.string()),
  ranker: LogisticModel,
  answer: LogisticModel,
  answerChunk: LogisticModel,
})
export type HybridModel = z.infer<typeof HybridModel>

/**
 * How retrieval scores read in one embedding space. Cosines are not comparable across models (a
 * lexical 0.35 and a semantic 0.35 mean different things), so each embedder carries its own:
 * fitted by `bench/src/calibrate-grounding.ts` on train/validation splits and stored as data
 * (`embeddings/grounding/*.json`), or hand-set for an embedder nobody calibrated (no `model`).
 */
export const GroundingCalibration = z.object({
  /**
   * A reply is grounded when its first source's confidence is at least this: the calibrated
   * probability that the knowledge answers (with a `model`), else the semantic score.
   */
  threshold: z.number().min(0).max(1),
  /**
   * Multiplier for a hit on a stored FAQ phrasing: question-to-question cosine runs higher than
   * question-to-answer cosine for the same relevance (shared phrasing). Ranks the semantic list.
   */
  questionScale: z.number().positive(),
  model: HybridModel.optional(),
  /** Where the numbers come from (the calibration script writes it). */
  provenance: z.string().optional(),
})
export type GroundingCalibration = z.infer<typeof GroundingCalibration>

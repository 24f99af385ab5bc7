import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { GroundingCalibration } from '../retrieval/grounding.js'

/**
 * The grounding calibration of an embedder we ship, as `bench/src/calibrate-grounding.ts --write`
 * fitted it (train/val of BANKING77 and CLINC150; models/README.md § Grounding has the curve).
 * Data, not code: re-running the script replaces the file, and the schema checks it at load.
 */
export function shippedCalibration(family: 'bge-small' | 'hashing'): GroundingCalibration {
  const file = join(import.meta.dirname, 'grounding', `${family}.json`)
  return GroundingCalibration.parse(JSON.parse(readFileSync(file, 'utf8')))
}

/**
 * For an embedder nobody calibrated (a remote model): the semantic score decides, as deployments
 * on OpenAI-compatible embeddings have run — 0.35, and a phrasing hit counts 0.35 / 0.45 (ADR 0007).
 */
export const UNCALIBRATED_GROUNDING: GroundingCalibration = { threshold: 0.35, questionScale: 0.35 / 0.45 }

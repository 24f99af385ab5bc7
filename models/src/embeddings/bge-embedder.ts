import { resolve } from 'node:path'
import type { GroundingCalibration } from '../retrieval/grounding.js'
import { shippedCalibration } from './calibrations.js'
import type { Embedder } from './embedder.js'
import { createOnnxSentenceEmbedder, hasOnnxModel } from './onnx-sentence-embedder.js'

/** Where `infra/models/fetch-bge-small.sh` (run by `make install`) puts the model files. */
export const DEFAULT_BGE_SMALL_DIR = resolve(import.meta.dirname, '..', '..', '.cache', 'bge-small')

// bge-small-en-v1.5's sentence-transformers config keeps 512 word pieces (its position table).
const MAX_TOKENS = 512

/** Fitted on BANKING77 + CLINC150 train/val (embeddings/grounding/bge-small.json, models/README.md § Grounding). */
export const BGE_SMALL_GROUNDING: GroundingCalibration = shippedCalibration('bge-small')

export interface BgeSmallEmbedderOptions {
  /** Holds `model.onnx` and `tokenizer.json` (default: models/.cache/bge-small). */
  modelDir?: string
  /** ONNX Runtime intra-op threads; 1 keeps a 2-core machine responsive (~2 ms per short text). */
  threads?: number
}

/** True when the model files are where `createBgeSmallEmbedder` looks for them. */
export function hasBgeSmallModel(modelDir: string = DEFAULT_BGE_SMALL_DIR): boolean {
  return hasOnnxModel(modelDir)
}

/**
 * BAAI/bge-small-en-v1.5 (int8 ONNX) in-process: WordPiece ids, the [CLS] vector, L2, 384
 * dimensions (onnx-sentence-embedder.ts). No query instruction: v1.5 was trained to need none,
 * and most of what retrieval compares is question with question (FAQ phrasings).
 */
export async function createBgeSmallEmbedder(opts: BgeSmallEmbedderOptions = {}): Promise<Embedder> {
  const dir = opts.modelDir ?? DEFAULT_BGE_SMALL_DIR
  if (!hasBgeSmallModel(dir))
    throw new Error(`bge-small model files missing in ${dir} (run infra/models/fetch-bge-small.sh)`)
  return createOnnxSentenceEmbedder(
    { name: 'bge-small-en-v1.5-int8', dimension: 384, maxTokens: MAX_TOKENS, grounding: BGE_SMALL_GROUNDING },
    { ...opts, modelDir: dir },
  )
}

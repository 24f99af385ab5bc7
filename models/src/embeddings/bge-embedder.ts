import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Tokenizer } from '@huggingface/tokenizers'
import ort from 'onnxruntime-node'
import type { GroundingCalibration } from '../retrieval/grounding.js'
import { shippedCalibration } from './calibrations.js'
import type { Embedder } from './embedder.js'

/** Where `infra/models/fetch-bge-small.sh` (run by `make install`) puts the model files. */
export const DEFAULT_BGE_SMALL_DIR = resolve(import.meta.dirname, '..', '..', '.cache', 'bge-small')

const MODEL_FILE = 'model.onnx'
const TOKENIZER_FILE = 'tokenizer.json'
const DIMENSION = 384
// bge-small-en-v1.5's sentence-transformers config keeps 512 word pieces (its position table).
const MAX_TOKENS = 512
const SEP_ID = 102

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
  return existsSync(join(modelDir, MODEL_FILE)) && existsSync(join(modelDir, TOKENIZER_FILE))
}

/**
 * BAAI/bge-small-en-v1.5 (int8 ONNX) in-process: WordPiece ids, the [CLS] vector, L2, 384
 * dimensions. No query instruction: v1.5 was trained to need none, and most of what retrieval
 * compares is question with question (FAQ phrasings).
 *
 * One text per run. The weights are int8 with activations quantized per run (dynamic
 * quantization): in a padded batch a text's scales depend on its company (cosine 0.997 with itself
 * alone), so a question would not meet its own stored phrasing at 1. One text at a time costs
 * ~1.3 ms per question over batching and is faster for chunks (no padding). The id carries the
 * files' hash: another model file is another vector space, and the knowledge index re-embeds.
 */
export async function createBgeSmallEmbedder(opts: BgeSmallEmbedderOptions = {}): Promise<Embedder> {
  const dir = opts.modelDir ?? DEFAULT_BGE_SMALL_DIR
  if (!hasBgeSmallModel(dir))
    throw new Error(`bge-small model files missing in ${dir} (run infra/models/fetch-bge-small.sh)`)
  const modelBytes = readFileSync(join(dir, MODEL_FILE))
  const tokenizerText = readFileSync(join(dir, TOKENIZER_FILE), 'utf8')
  const hash = createHash('sha256').update(modelBytes).update(tokenizerText).digest('hex').slice(0, 12)
  const tokenizer = new Tokenizer(JSON.parse(tokenizerText) as object, {})
  const session = await ort.InferenceSession.create(modelBytes, {
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: opts.threads ?? 1,
    interOpNumThreads: 1,
    logSeverityLevel: 3,
    // The arena keeps the peak of the largest run for the process's life (a 512-piece chunk);
    // without it RSS returns to what the loaded model costs.
    enableCpuMemArena: false,
  })
  const withTypeIds = session.inputNames.includes('token_type_ids')

  const embedOne = async (text: string): Promise<number[]> => {
    const pieces = tokenizer.encode(text).ids
    // Truncate as the reference does: keep [CLS] + the first pieces, end on [SEP].
    const kept = pieces.length <= MAX_TOKENS ? pieces : [...pieces.slice(0, MAX_TOKENS - 1), SEP_ID]
    const dims = [1, kept.length]
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(kept, BigInt), dims),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(kept.length).fill(1n), dims),
    }
    // Single-sentence inputs: every token is segment 0.
    if (withTypeIds) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(kept.length), dims)
    const out = await session.run(feeds)
    return clsL2(out[session.outputNames[0]!]!.data as Float32Array)
  }

  return {
    id: `bge-small-en-v1.5-int8:${hash}`,
    dimension: DIMENSION,
    grounding: BGE_SMALL_GROUNDING,
    async embed(texts) {
      const out: number[][] = []
      for (const text of texts) out.push(await embedOne(text))
      return out
    },
    close: () => session.release(),
  }
}

/**
 * The first token's ([CLS]) vector, L2-normalised: BGE was trained to put the sentence there (its
 * sentence-transformers config pools by CLS, not by mean).
 */
function clsL2(hidden: Float32Array): number[] {
  let norm = 0
  for (let d = 0; d < DIMENSION; d++) norm += hidden[d]! * hidden[d]!
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0
  return Array.from({ length: DIMENSION }, (_, d) => hidden[d]! * inv)
}

import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Tokenizer } from '@huggingface/tokenizers'
import ort from 'onnxruntime-node'
import type { GroundingCalibration } from '../retrieval/grounding.js'
import { shippedCalibration } from './calibrations.js'
import type { Embedder } from './embedder.js'

/** Where `infra/models/fetch-minilm.sh` (run by `make install`) puts the model files. */
export const DEFAULT_MINILM_DIR = resolve(import.meta.dirname, '..', '..', '.cache', 'minilm')

const MODEL_FILE = 'model.onnx'
const TOKENIZER_FILE = 'tokenizer.json'
const DIMENSION = 384
// sentence-transformers truncates all-MiniLM-L6-v2 at 256 word pieces (its
// sentence_bert_config.json), although the position table has 512: it was trained on 128.
const MAX_TOKENS = 256
const SEP_ID = 102

/** Fitted on BANKING77 + CLINC150 train/val (embeddings/grounding/minilm.json, models/README.md § Grounding). */
export const MINILM_GROUNDING: GroundingCalibration = shippedCalibration('minilm')

export interface MiniLmEmbedderOptions {
  /** Holds `model.onnx` and `tokenizer.json` (default: models/.cache/minilm). */
  modelDir?: string
  /** Most texts per ONNX run; runs also stop at `maxBatchTokens` padded word pieces. */
  batchSize?: number
  maxBatchTokens?: number
  /** ONNX Runtime intra-op threads; 1 keeps a 2-core machine responsive (~6 ms per short text). */
  threads?: number
}

/** True when the model files are where `createMiniLmEmbedder` looks for them. */
export function hasMiniLmModel(modelDir: string = DEFAULT_MINILM_DIR): boolean {
  return existsSync(join(modelDir, MODEL_FILE)) && existsSync(join(modelDir, TOKENIZER_FILE))
}

/**
 * all-MiniLM-L6-v2 (int8 ONNX) in-process: WordPiece ids, mean pooling over the attention mask,
 * L2 — the sentence-transformers pipeline of that model, 384 dimensions. Texts are batched by
 * token length so short ones do not pay for a long one's padding. The id carries the files' hash:
 * another model file is another vector space, and the knowledge index re-embeds on a change.
 */
export async function createMiniLmEmbedder(opts: MiniLmEmbedderOptions = {}): Promise<Embedder> {
  const dir = opts.modelDir ?? DEFAULT_MINILM_DIR
  if (!hasMiniLmModel(dir))
    throw new Error(`MiniLM model files missing in ${dir} (run infra/models/fetch-minilm.sh)`)
  const modelBytes = readFileSync(join(dir, MODEL_FILE))
  const tokenizerText = readFileSync(join(dir, TOKENIZER_FILE), 'utf8')
  const hash = createHash('sha256').update(modelBytes).update(tokenizerText).digest('hex').slice(0, 12)
  const tokenizer = new Tokenizer(JSON.parse(tokenizerText) as object, {})
  const threads = opts.threads ?? 1
  const session = await ort.InferenceSession.create(modelBytes, {
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    logSeverityLevel: 3,
    // The arena keeps the peak of the largest batch for the process's life (+300 MB after one
    // batch of 16 × 256 pieces); without it RSS returns to the ~180 MB the loaded model costs.
    enableCpuMemArena: false,
  })
  const withTypeIds = session.inputNames.includes('token_type_ids')
  const batchSize = opts.batchSize ?? 32
  const maxBatchTokens = opts.maxBatchTokens ?? 4096

  const encode = (text: string): number[] => {
    const ids = tokenizer.encode(text).ids
    // Truncate as the reference does: keep [CLS] + the first 254 pieces, end on [SEP].
    return ids.length <= MAX_TOKENS ? ids : [...ids.slice(0, MAX_TOKENS - 1), SEP_ID]
  }

  const run = async (batch: number[][]): Promise<number[][]> => {
    const width = Math.max(...batch.map((ids) => ids.length))
    const ids = new BigInt64Array(batch.length * width)
    const mask = new BigInt64Array(batch.length * width)
    batch.forEach((row, b) =>
      row.forEach((id, t) => {
        ids[b * width + t] = BigInt(id)
        mask[b * width + t] = 1n
      }),
    )
    const dims = [batch.length, width]
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
    }
    // Single-sentence inputs: every token is segment 0.
    if (withTypeIds) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(ids.length), dims)
    const out = await session.run(feeds)
    const hidden = out[session.outputNames[0]!]!.data as Float32Array
    return batch.map((row, b) => meanPoolL2(hidden, b, width, row.length))
  }

  return {
    id: `minilm-l6-v2-int8:${hash}`,
    dimension: DIMENSION,
    grounding: MINILM_GROUNDING,
    async embed(texts) {
      const encoded = texts.map(encode)
      const order = encoded.map((_, i) => i).sort((a, b) => encoded[a]!.length - encoded[b]!.length)
      const out = new Array<number[]>(texts.length)
      for (let start = 0; start < order.length;) {
        // Ascending lengths: the last text of a batch sets its padded width.
        let end = start + 1
        while (
          end < order.length &&
          end - start < batchSize &&
          (end - start + 1) * encoded[order[end]!]!.length <= maxBatchTokens
        )
          end += 1
        const slice = order.slice(start, end)
        const vectors = await run(slice.map((i) => encoded[i]!))
        slice.forEach((i, k) => (out[i] = vectors[k]!))
        start = end
      }
      return out
    },
    close: () => session.release(),
  }
}

/** Mean of the first `length` token vectors of row `b` (the unpadded ones), L2-normalised. */
function meanPoolL2(hidden: Float32Array, b: number, width: number, length: number): number[] {
  const v = new Array<number>(DIMENSION).fill(0)
  for (let t = 0; t < length; t++) {
    const base = (b * width + t) * DIMENSION
    for (let d = 0; d < DIMENSION; d++) v[d]! += hidden[base + d]!
  }
  let norm = 0
  for (let d = 0; d < DIMENSION; d++) norm += v[d]! * v[d]!
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0
  return v.map((x) => x * inv)
}

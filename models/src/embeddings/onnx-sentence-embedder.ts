import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Tokenizer } from '@huggingface/tokenizers'
import ort from 'onnxruntime-node'
import type { GroundingCalibration } from '../retrieval/grounding.js'
import type { Embedder } from './embedder.js'

export const MODEL_FILE = 'model.onnx'
export const TOKENIZER_FILE = 'tokenizer.json'
const SEP_ID = 102

/** One BERT-style sentence encoder: WordPiece ids in, the [CLS] token's vector out, L2. */
export interface OnnxSentenceModel {
  /** Prefix of the embedder id; the files' hash follows it after a colon. */
  name: string
  dimension: number
  /** Word pieces kept, [CLS] and [SEP] included (the reference pipeline's max_seq_length). */
  maxTokens: number
  grounding: GroundingCalibration
}

export interface OnnxSentenceEmbedderOptions {
  /** Holds `model.onnx` and `tokenizer.json`. */
  modelDir: string
  /** ONNX Runtime intra-op threads; 1 keeps a 2-core machine responsive. */
  threads?: number
}

/** True when both model files are in `modelDir`. */
export function hasOnnxModel(modelDir: string): boolean {
  return existsSync(join(modelDir, MODEL_FILE)) && existsSync(join(modelDir, TOKENIZER_FILE))
}

/**
 * A sentence-transformers style encoder in-process, one text per run. The model's weights are
 * int8 with activations quantized per run (dynamic quantization): in a padded batch a text's
 * scales depend on its company (cosine 0.997 with itself alone), so a question would not meet its
 * own stored phrasing at 1. One text at a time costs ~1.3 ms per question over batching and is
 * faster for chunks (no padding). The id carries the files' hash: another model file is another
 * vector space, and the knowledge index re-embeds on a change.
 */
export async function createOnnxSentenceEmbedder(
  model: OnnxSentenceModel,
  opts: OnnxSentenceEmbedderOptions,
): Promise<Embedder> {
  const dir = opts.modelDir
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
  const D = model.dimension

  const embedOne = async (text: string): Promise<number[]> => {
    const pieces = tokenizer.encode(text).ids
    // Truncate as the reference does: keep [CLS] + the first pieces, end on [SEP].
    const kept = pieces.length <= model.maxTokens ? pieces : [...pieces.slice(0, model.maxTokens - 1), SEP_ID]
    const dims = [1, kept.length]
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(kept, BigInt), dims),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(kept.length).fill(1n), dims),
    }
    // Single-sentence inputs: every token is segment 0.
    if (withTypeIds) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(kept.length), dims)
    const out = await session.run(feeds)
    return clsL2(out[session.outputNames[0]!]!.data as Float32Array, D)
  }

  const embedAll = async (texts: string[]): Promise<number[][]> => {
    const out: number[][] = []
    for (const text of texts) out.push(await embedOne(text))
    return out
  }
  return {
    id: `${model.name}:${hash}`,
    dimension: D,
    grounding: model.grounding,
    embed: embedAll,
    close: () => session.release(),
  }
}

/**
 * The first token's ([CLS]) vector, L2-normalised: BGE was trained to put the sentence there (its
 * sentence-transformers config pools by CLS, not by mean).
 */
function clsL2(hidden: Float32Array, D: number): number[] {
  let norm = 0
  for (let d = 0; d < D; d++) norm += hidden[d]! * hidden[d]!
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0
  return Array.from({ length: D }, (_, d) => hidden[d]! * inv)
}

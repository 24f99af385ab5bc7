import type { GroundingCalibration } from '../retrieval/grounding.js'

/** Anything that turns texts into fixed-size vectors (local hashing model or a remote API). */
export interface Embedder {
  /** Names the vector space: vectors with different ids must never share an index. */
  readonly id: string
  readonly dimension: number
  readonly grounding: GroundingCalibration
  embed(texts: string[]): Promise<number[][]>
  /** Frees native resources (the ONNX session); the embedder is unusable afterwards. */
  close?(): Promise<void>
}

/** Cosine similarity; 0 when either vector is all zeros. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`cosine: dimension mismatch ${a.length} vs ${b.length}`)
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number
    const y = b[i] as number
    dot += x * y
    na += x * x
    nb += y * y
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb)
}

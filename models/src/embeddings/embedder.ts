/**
 * How retrieval scores read in one embedding space. Cosines are not comparable across models
 * (a lexical 0.35 and a semantic 0.35 mean different things), so each embedder carries its own.
 */
export interface GroundingCalibration {
  /** A reply is grounded when its best source scores at least this (cosine with the answer text). */
  threshold: number
  /**
   * Multiplier for a hit on a stored FAQ phrasing: question-to-question cosine runs higher than
   * question-to-answer cosine for the same relevance (shared phrasing).
   */
  questionScale: number
}

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

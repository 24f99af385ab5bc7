import { z } from 'zod'

/** A logistic model over standardised features: p = σ(b + Σ wᵢ (xᵢ − meanᵢ) / scaleᵢ). */
export const LogisticModel = z.object({
  weights: z.array(z.number()),
  bias: z.number(),
  mean: z.array(z.number()),
  scale: z.array(z.number().positive()),
})
export type LogisticModel = z.infer<typeof LogisticModel>

/** The model's probability for one feature vector. */
export function predictLogistic(m: LogisticModel, x: readonly number[]): number {
  let z = m.bias
  for (let j = 0; j < m.weights.length; j++) z += (m.weights[j]! * ((x[j] ?? 0) - m.mean[j]!)) / m.scale[j]!
  return 1 / (1 + Math.exp(-z))
}

export interface FitOptions {
  /** L2 penalty on the standardised weights (not the bias). */
  l2?: number
  iterations?: number
  /** Per-row weights (default 1 each); they are normalised to sum to the row count. */
  rowWeights?: readonly number[]
}

/**
 * Fits a logistic model by full-batch gradient descent on standardised features: convex, so
 * deterministic and independent of the row order. For the few thousand rows of a grounding
 * calibration it converges in well under a second.
 */
export function fitLogistic(
  x: readonly number[][],
  y: readonly number[],
  opts: FitOptions = {},
): LogisticModel {
  const n = x.length
  if (n === 0 || n !== y.length) throw new Error(`fitLogistic: ${n} rows and ${y.length} labels`)
  const d = x[0]!.length
  const l2 = opts.l2 ?? 1e-3
  const raw = opts.rowWeights ?? x.map(() => 1)
  const total = raw.reduce((s, w) => s + w, 0)
  const rw = raw.map((w) => (w * n) / total)
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / n)
  const scale = Array.from({ length: d }, (_, j) => {
    const sd = Math.sqrt(x.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / n)
    return sd > 1e-9 ? sd : 1
  })
  const z = x.map((r) => r.map((v, j) => (v - mean[j]!) / scale[j]!))
  const w = new Array<number>(d).fill(0)
  let b = 0
  const rate = 0.5
  for (let it = 0; it < (opts.iterations ?? 3000); it++) {
    const gw = new Array<number>(d).fill(0)
    let gb = 0
    for (let i = 0; i < n; i++) {
      const row = z[i]!
      let s = b
      for (let j = 0; j < d; j++) s += row[j]! * w[j]!
      const e = (1 / (1 + Math.exp(-s)) - y[i]!) * rw[i]!
      for (let j = 0; j < d; j++) gw[j]! += e * row[j]!
      gb += e
    }
    for (let j = 0; j < d; j++) w[j] = w[j]! - rate * (gw[j]! / n + l2 * w[j]!)
    b -= (rate * gb) / n
  }
  return { weights: w, bias: b, mean, scale }
}

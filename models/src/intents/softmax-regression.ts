import type { SparseVector } from './features.js'
import { createRng, shuffleInPlace } from '../text/text-features.js'

/** Weights are feature-major (`weights[f * classes + k]`) so a sparse row touches contiguous memory. */
export interface LinearModel {
  features: number
  classes: number
  weights: Float32Array
  bias: Float32Array
}

export interface SgdOptions {
  epochs: number
  /** Initial step size; decays as lr0 / (1 + epoch). */
  learningRate: number
  /** L2 penalty per example; keeps rare n-grams from memorising single examples. */
  l2: number
  seed: number
}

export const DEFAULT_SGD: SgdOptions = { epochs: 12, learningRate: 0.5, l2: 1e-5, seed: 7 }

/** Class scores W·x + b for one example. */
export function scores(model: LinearModel, x: SparseVector): Float64Array {
  const k = model.classes
  const out = Float64Array.from(model.bias)
  for (let j = 0; j < x.idx.length; j++) {
    const base = (x.idx[j] as number) * k
    const v = x.val[j] as number
    for (let c = 0; c < k; c++) out[c] = (out[c] as number) + v * (model.weights[base + c] as number)
  }
  return out
}

/** Numerically stable softmax of scores divided by a temperature. */
export function softmax(z: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity
  for (const v of z) if (v > max) max = v
  const out = new Float64Array(z.length)
  let sum = 0
  for (let i = 0; i < z.length; i++) {
    const e = Math.exp(((z[i] as number) - max) / temperature)
    out[i] = e
    sum += e
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum
  return out
}

/**
 * Multinomial logistic regression by plain SGD on the cross-entropy loss. L2 decay is applied
 * lazily through one global scale factor (Bottou, "Stochastic Gradient Descent Tricks", 2012),
 * so each step costs O(nnz × classes) instead of O(features × classes).
 */
export function trainSoftmax(
  xs: readonly SparseVector[],
  ys: readonly number[],
  features: number,
  classes: number,
  opts: SgdOptions,
): LinearModel {
  const v = new Float32Array(features * classes)
  const bias = new Float32Array(classes)
  const model: LinearModel = { features, classes, weights: v, bias }
  let scale = 1
  const order = xs.map((_, i) => i)
  const rng = createRng(opts.seed)
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const lr = opts.learningRate / (1 + epoch)
    shuffleInPlace(order, rng)
    for (const i of order) {
      const x = xs[i] as SparseVector
      const y = ys[i] as number
      const z = scores(model, x)
      for (let c = 0; c < classes; c++)
        z[c] = ((z[c] as number) - (bias[c] as number)) * scale + (bias[c] as number)
      const p = softmax(z)
      scale *= 1 - lr * opts.l2
      const step = lr / scale
      for (let c = 0; c < classes; c++) {
        const g = (p[c] as number) - (c === y ? 1 : 0)
        // Most classes have ~0 gradient once learned; skipping below 1e-3 cut BANKING77 training
        // time ~10 % with identical accuracy.
        if (Math.abs(g) < 1e-3) continue
        bias[c] = (bias[c] as number) - lr * g
        for (let j = 0; j < x.idx.length; j++) {
          const at = (x.idx[j] as number) * classes + c
          v[at] = (v[at] as number) - step * g * (x.val[j] as number)
        }
      }
      if (scale < 1e-6) scale = rescale(v, scale)
    }
  }
  rescale(v, scale)
  return model
}

/** Fold the lazy scale back into the weights; returns the new scale (1). */
function rescale(v: Float32Array, scale: number): number {
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * scale
  return 1
}

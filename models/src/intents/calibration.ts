import { softmax } from './softmax-regression.js'

/**
 * Temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", 2017): one scalar T
 * that minimises held-out negative log-likelihood. It changes confidence, never the ranking.
 */
export function fitTemperature(logits: readonly Float64Array[], labels: readonly number[]): number {
  if (logits.length === 0) return 1
  const nll = (t: number): number => {
    let total = 0
    logits.forEach((z, i) => {
      const p = softmax(z, t)[labels[i] as number] as number
      total -= Math.log(Math.max(p, 1e-12))
    })
    return total / logits.length
  }
  // Golden-section search on log T in [1/20, 20]: NLL is unimodal in T in practice.
  let lo = Math.log(0.05)
  let hi = Math.log(20)
  const phi = (Math.sqrt(5) - 1) / 2
  for (let iter = 0; iter < 40; iter++) {
    const a = hi - phi * (hi - lo)
    const b = lo + phi * (hi - lo)
    if (nll(Math.exp(a)) < nll(Math.exp(b))) hi = b
    else lo = a
  }
  return Math.exp((lo + hi) / 2)
}

/** Expected calibration error over equal-width confidence bins; for tests and reports. */
export function expectedCalibrationError(
  confidences: readonly number[],
  correct: readonly boolean[],
  bins = 10,
): number {
  const sumConf = new Array<number>(bins).fill(0)
  const sumAcc = new Array<number>(bins).fill(0)
  const count = new Array<number>(bins).fill(0)
  confidences.forEach((c, i) => {
    const b = Math.min(bins - 1, Math.floor(c * bins))
    sumConf[b] = (sumConf[b] as number) + c
    sumAcc[b] = (sumAcc[b] as number) + (correct[i] ? 1 : 0)
    count[b] = (count[b] as number) + 1
  })
  let ece = 0
  for (let b = 0; b < bins; b++) {
    const n = count[b] as number
    if (n > 0)
      ece += (n / confidences.length) * Math.abs((sumConf[b] as number) / n - (sumAcc[b] as number) / n)
  }
  return ece
}

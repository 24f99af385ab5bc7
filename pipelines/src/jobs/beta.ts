import { createRng } from '@luneo/models'
/**
 * Seeded random draws for variant scoring: a deterministic RNG, Gamma by Marsaglia–Tsang and
 * Beta as a ratio of Gammas. Deterministic so a re-run over the same outcomes writes the same
 * weights (no spurious history rows).
 */
/** mulberry32 (one implementation, in models): plenty for Monte Carlo estimates of P(best). */
export const seededRandom: (seed: number) => () => number = createRng

/** FNV-1a of a string: seeds the RNG from the experiment id and its sample counts. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** A standard normal draw (Box–Muller). */
export function normal(random: () => number): number {
  const u = 1 - random() // (0, 1]: log(0) never happens
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/**
 * Gamma(shape, 1) by Marsaglia & Tsang (2000), "A simple method for generating gamma variables".
 * For shape < 1, Gamma(shape + 1) · U^(1/shape).
 */
export function gamma(shape: number, random: () => number): number {
  if (shape <= 0) throw new Error(`gamma: shape must be > 0, got ${shape}`)
  if (shape < 1) return gamma(shape + 1, random) * Math.pow(random(), 1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = normal(random)
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = random()
    if (u < 1 - 0.0331 * x * x * x * x) return d * v
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v
  }
}

/** Beta(alpha, beta) = X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta). */
export function betaSample(alpha: number, beta: number, random: () => number): number {
  const x = gamma(alpha, random)
  const y = gamma(beta, random)
  return x / (x + y)
}

/**
 * P(each arm is best): the share of `draws` joint draws from the Betas in which that arm's draw
 * is the highest (ties go to the lower index, which at continuous draws never matters).
 */
export function probabilityBest(
  arms: readonly { alpha: number; beta: number }[],
  draws: number,
  random: () => number,
): number[] {
  const wins = new Array<number>(arms.length).fill(0)
  if (arms.length === 0) return wins
  for (let d = 0; d < draws; d++) {
    let best = -1
    let bestValue = -Infinity
    for (let i = 0; i < arms.length; i++) {
      const value = betaSample(arms[i]!.alpha, arms[i]!.beta, random)
      if (value > bestValue) {
        bestValue = value
        best = i
      }
    }
    wins[best]! += 1
  }
  return wins.map((w) => w / draws)
}

/**
 * P(each of two arms is best) on the normal approximation of the Betas: Φ(d ÷ √V). Within 0.01 of
 * the Monte Carlo estimate once each arm has 30 conversations; used where thousands of looks are
 * simulated (variant-simulation.ts), never to decide in the pipeline.
 */
export function normalProbabilityBest(arms: readonly { alpha: number; beta: number }[]): number[] {
  if (arms.length !== 2) throw new Error(`normalProbabilityBest: two arms, got ${arms.length}`)
  const [a, b] = arms as [{ alpha: number; beta: number }, { alpha: number; beta: number }]
  const m = (p: typeof a) => p.alpha / (p.alpha + p.beta)
  const v = (p: typeof a) => (p.alpha * p.beta) / ((p.alpha + p.beta) ** 2 * (p.alpha + p.beta + 1))
  const pa = normalCdf((m(a) - m(b)) / Math.sqrt(v(a) + v(b)))
  return [pa, 1 - pa]
}

/** Φ(x) by the complementary error function (Numerical Recipes' erfcc, |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2
  const t = 1 / (1 + 0.5 * z)
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  const erfc = t * Math.exp(poly)
  return x >= 0 ? 1 - erfc / 2 : erfc / 2
}

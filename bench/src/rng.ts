import { createRng } from '@luneo/models'

/** Deterministic PRNG (models' mulberry32): the same seed generates the same data set, run after run. */
export function prng(seed: number) {
  const next = createRng(seed)
  return {
    next,
    chance: (p: number) => next() < p,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  }
}
export type Rng = ReturnType<typeof prng>

/** A UUIDv7-shaped id from the PRNG and a time: the same seed gives the same ids (reruns compare). */
export function seededUuid(rng: Rng, ms: number): string {
  const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, '0')
  const time = hex(ms, 12)
  const r = () => hex(rng.next() * 0x10000, 4)
  const variant = hex(0x8000 | (rng.next() * 0x4000), 4)
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${r().slice(1)}-${variant}-${r()}${r()}${r()}`
}

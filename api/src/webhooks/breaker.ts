/**
 * A circuit breaker per webhook destination (scheme, host and port): after `threshold` failed
 * attempts in a row the destination is skipped for `coolDownMs`, doubling at each failed probe up
 * to `maxCoolDownMs`; one success closes it. A receiver that hangs then costs one timeout per
 * cool-down instead of one per queued delivery, and the batch goes to the tenants whose
 * receivers answer. In memory, per dispatcher: replicas each learn it on their own (at most
 * `threshold` wasted attempts each).
 */
export interface BreakerOptions {
  threshold: number
  coolDownMs: number
  maxCoolDownMs: number
}

interface State {
  failures: number
  openUntil: number
  coolDownMs: number
}

export const destinationOf = (url: string): string => {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return url
  }
}

export class DestinationBreakers {
  readonly #states = new Map<string, State>()
  constructor(readonly options: BreakerOptions) {}

  /** When the destination may be tried again, or null when it may be tried now. */
  openUntil(url: string, now: number): number | null {
    const s = this.#states.get(destinationOf(url))
    return s && s.openUntil > now ? s.openUntil : null
  }

  record(url: string, ok: boolean, now: number): void {
    const key = destinationOf(url)
    if (ok) {
      this.#states.delete(key)
      return
    }
    const s = this.#states.get(key) ?? { failures: 0, openUntil: 0, coolDownMs: this.options.coolDownMs }
    s.failures += 1
    if (s.failures >= this.options.threshold) {
      // a failed probe after a cool-down doubles the next one
      if (s.openUntil > 0) s.coolDownMs = Math.min(s.coolDownMs * 2, this.options.maxCoolDownMs)
      s.openUntil = now + s.coolDownMs
    }
    this.#states.set(key, s)
  }
}

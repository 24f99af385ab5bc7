import type { KeyPrincipal } from '@luneo/warehouse'

/**
 * API-key principals for a few seconds, so a machine client's requests skip one Postgres lookup
 * each. Revoking a key evicts it here at once; another api replica may accept it for up to
 * `ttlMs` more (documented in docs/adr/0004).
 */
export class KeyCache {
  readonly #entries = new Map<string, { principal: KeyPrincipal; until: number }>()

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(secretHash: string, now = Date.now()): KeyPrincipal | undefined {
    const hit = this.#entries.get(secretHash)
    if (!hit) return undefined
    if (hit.until <= now) {
      this.#entries.delete(secretHash)
      return undefined
    }
    return hit.principal
  }

  set(secretHash: string, principal: KeyPrincipal, now = Date.now()): void {
    if (this.#entries.size >= this.maxEntries) this.#entries.clear() // bounded; rebuilt on demand
    // An expiring key leaves the cache when it ends, not up to ttlMs later.
    const until = Math.min(now + this.ttlMs, principal.ends_at?.getTime() ?? Infinity)
    this.#entries.set(secretHash, { principal, until })
  }

  /** Forgets a revoked key (by id: the secret is not known when revoking). */
  evictKey(keyId: string): void {
    for (const [hash, e] of this.#entries) if (e.principal.key_id === keyId) this.#entries.delete(hash)
  }
}

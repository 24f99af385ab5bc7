import { describe, expect, it } from 'vitest'
import { commitNudges } from './nudges.js'

function counter() {
  const c = { n: 0, nudge: () => void c.n++ }
  return c
}

describe('commitNudges', () => {
  it('wakes the drainer after any commit, the webhook dispatcher only after a turn', () => {
    const drainer = counter()
    const webhooks = counter()
    const n = commitNudges(drainer, webhooks)
    n.onEventsCommitted()
    expect([drainer.n, webhooks.n]).toEqual([1, 0])
    n.onTurnCommitted()
    expect([drainer.n, webhooks.n]).toEqual([2, 1])
  })

  it('runs without a drainer or a dispatcher (server mode with the relay, webhooks off)', () => {
    const n = commitNudges(null, null)
    expect(() => (n.onEventsCommitted(), n.onTurnCommitted())).not.toThrow()
  })
})

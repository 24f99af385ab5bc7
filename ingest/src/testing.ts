// Test and benchmark helpers: realistic event streams built through the real writer (validated).
import { newId } from '@luneo/warehouse'
import type { EventType } from './events/catalogue.js'
import type { EventEnvelope } from './events/envelope.js'
import { payloadFixtures } from './events/fixtures.js'
import { buildEvent } from './outbox/writer.js'

export { payloadFixtures } from './events/fixtures.js'

// A conversation's life, in order; repeated turns in the middle.
const turn: EventType[] = ['message.received', 'reply.sent']
const tail: EventType[] = [
  'action.executed',
  'feedback.submitted',
  'outcome.recorded',
  'conversation.escalated',
]

export interface GeneratedStream {
  organizations: string[]
  /** Events in the order they were generated: per conversation, the order they must keep. */
  events: EventEnvelope[]
}

/**
 * `total` events over `organizations` × `conversationsPerOrg` conversations, interleaved
 * round-robin so every batch mixes conversations. Each conversation starts with
 * conversation.started and cycles through turns and outcomes; occurredAt increases per event.
 */
export function generateEvents(options: {
  total: number
  organizations?: number
  conversationsPerOrg?: number
  start?: Date
  /** Spread occurredAt evenly over this many ms (default: 1 ms apart). */
  spanMs?: number
}): GeneratedStream {
  const orgs = Array.from({ length: options.organizations ?? 3 }, () => newId())
  const perOrg = options.conversationsPerOrg ?? 20
  const convs = orgs.flatMap((org) =>
    Array.from({ length: perOrg }, () => ({ org, id: newId(), agent: newId(), step: 0 })),
  )
  const t0 = (options.start ?? new Date(Date.now() - 3_600_000)).getTime()
  const events: EventEnvelope[] = []
  for (let i = 0; i < options.total; i++) {
    const c = convs[i % convs.length]!
    const type: EventType =
      c.step === 0
        ? 'conversation.started'
        : c.step % 5 === 0
          ? tail[(c.step / 5) % tail.length]!
          : turn[c.step % 2]!
    const ctx = {
      organizationId: c.org,
      vertical: 'ecommerce',
      correlationId: `gen-${i}`,
      conversationId: c.id,
      agentId: c.agent,
      occurredAt: new Date(t0 + (options.spanMs ? Math.floor((i * options.spanMs) / options.total) : i)),
    }
    events.push(buildEvent(type, ctx, (payloadFixtures[type] as (n: number) => never)(i)))
    c.step += 1
  }
  return { organizations: orgs, events }
}

export { spawnLuneo, repoRoot, type LuneoChild } from './faults/child.js'

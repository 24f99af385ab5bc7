import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { checkEnvelope, EventEnvelope, parseEnvelope } from './envelope.js'

const good = {
  id: '0190a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b',
  type: 'reply.sent',
  version: 1,
  organizationId: randomUUID(),
  occurredAt: '2026-11-30T09:00:00.123Z',
  conversationId: randomUUID(),
  contactId: null,
  agentId: randomUUID(),
  vertical: 'ecommerce',
  correlationId: 'req-1',
  payload: { a: 1 },
}

// Every field bent one way: the hand-written check must say what zod says, value for value.
const variants: [string, unknown][] = [
  ['as is', good],
  ['an extra key (dropped)', { ...good, extra: true }],
  ['nil uuid', { ...good, id: '00000000-0000-0000-0000-000000000000' }],
  ['uppercase uuid', { ...good, id: good.id.toUpperCase() }],
  ['uuid version 9', { ...good, id: '0190a1b2-3c4d-9e5f-8a9b-0c1d2e3f4a5b' }],
  ['uuid variant c', { ...good, id: '0190a1b2-3c4d-7e5f-ca9b-0c1d2e3f4a5b' }],
  ['id missing', { ...good, id: undefined }],
  ['empty type', { ...good, type: '' }],
  ['version 0', { ...good, version: 0 }],
  ['version -1', { ...good, version: -1 }],
  ['version 1.5', { ...good, version: 1.5 }],
  ['version as text', { ...good, version: '1' }],
  ['version 2^53', { ...good, version: 2 ** 53 }],
  ['offset time', { ...good, occurredAt: '2026-11-30T10:00:00+01:00' }],
  ['no zone', { ...good, occurredAt: '2026-11-30T09:00:00' }],
  ['30 February', { ...good, occurredAt: '2026-02-30T09:00:00Z' }],
  ['29 February 2028', { ...good, occurredAt: '2028-02-29T09:00:00Z' }],
  ['hour 24', { ...good, occurredAt: '2026-11-30T24:00:00Z' }],
  ['a date only', { ...good, occurredAt: '2026-11-30' }],
  ['conversation null', { ...good, conversationId: null }],
  ['contact not a uuid', { ...good, contactId: 'c-1' }],
  ['agent undefined', { ...good, agentId: undefined }],
  ['vertical a number', { ...good, vertical: 3 }],
  ['correlation empty', { ...good, correlationId: '' }],
  ['payload an array', { ...good, payload: [1] }],
  ['payload null', { ...good, payload: null }],
  ['payload empty', { ...good, payload: {} }],
  ['not an object', 'reply.sent'],
  ['null', null],
  ['an array', [good]],
]

describe('checkEnvelope', () => {
  it.each(variants)('agrees with zod: %s', (_name, value) => {
    const z = EventEnvelope.safeParse(value)
    expect(checkEnvelope(value)).toEqual(z.success ? z.data : null)
    expect(parseEnvelope(value)).toEqual(z)
  })
})

import { describe, expect, it } from 'vitest'
import { eventCatalogue, type EventType } from './catalogue.js'
import { payloadFixtures } from './fixtures.js'
import { buildEvent } from '../outbox/writer.js'
import { generateEvents } from '../testing.js'

// Deliberately simple detectors, written here rather than imported: ingest may not depend on the
// engine's redaction (models → ingest only), and a second, independent implementation is the point.
const detectors: Record<string, RegExp> = {
  email: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/,
  phone: /(?:\+|00)?\d[\d\s().-]{7,}\d/,
  card: /\b(?:\d[ -]?){13,19}\b/,
  iban: /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}\b/,
}

/** Every string in a value, with its path. UUIDs and ISO timestamps are ids, not PII. */
function strings(value: unknown, path = '$'): [string, string][] {
  if (typeof value === 'string') return [[path, value]]
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`))
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`))
  return []
}
const harmless = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d\d-\d\dT[\d:.]+Z)$/i

function findPii(value: unknown): string[] {
  const hits: string[] = []
  for (const [path, s] of strings(value)) {
    if (harmless.test(s)) continue
    for (const [kind, re] of Object.entries(detectors)) if (re.test(s)) hits.push(`${kind} at ${path}: ${s}`)
  }
  return hits
}

describe('no PII in event payloads', () => {
  it('has a fixture for every catalogued type', () => {
    expect(Object.keys(payloadFixtures).sort()).toEqual(Object.keys(eventCatalogue).sort())
  })

  it('the detectors catch what they should (so a clean scan means something)', () => {
    expect(findPii({ text: 'write to jane.doe@example.com' })).toHaveLength(1)
    expect(findPii({ text: 'call +44 20 7946 0958' })).not.toHaveLength(0)
    expect(findPii({ text: 'card 4111 1111 1111 1111' })).not.toHaveLength(0)
    expect(findPii({ text: 'iban DE89 3704 0044 0532 0130 00' })).not.toHaveLength(0)
  })

  it.each(Object.keys(payloadFixtures) as EventType[])(
    '%s fixtures carry no email, phone or card',
    (type) => {
      for (let n = 0; n < 20; n++) {
        const e = buildEvent(
          type,
          { organizationId: crypto.randomUUID(), vertical: 'ecommerce', correlationId: 'pii' },
          (payloadFixtures[type] as (n: number) => never)(n),
        )
        expect(findPii(e.payload)).toEqual([])
      }
    },
  )

  it('a generated stream of every type is clean', () => {
    const { events } = generateEvents({ total: 2000 })
    // Every conversation event: not organization.created, agent.created nor contact.erased.
    expect(new Set(events.map((e) => e.type)).size).toBe(Object.keys(eventCatalogue).length - 3)
    expect(events.flatMap((e) => findPii(e.payload))).toEqual([])
  })
})

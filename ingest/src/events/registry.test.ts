import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { eventCatalogue } from './catalogue.js'
import { createEventRegistry, eventRegistry } from './registry.js'

function envelope(type: string, version: number, payload: Record<string, unknown>) {
  return {
    id: randomUUID(),
    type,
    version,
    organizationId: randomUUID(),
    occurredAt: new Date().toISOString(),
    conversationId: randomUUID(),
    contactId: null,
    agentId: null,
    vertical: 'ecommerce',
    correlationId: 'c',
    payload,
  }
}

// A catalogue whose conversation.started is at v1; v0 said `via: "web" | "mail"`.
const v1Catalogue = {
  'conversation.started': {
    version: 1,
    payload: z.object({ channel: z.enum(['widget', 'email']), hasContact: z.boolean() }).strict(),
  },
}

describe('event registry', () => {
  it('lists every catalogued type at its current version', () => {
    expect(eventRegistry.types).toEqual(Object.keys(eventCatalogue).sort())
    expect(eventRegistry.types).toContain('message.received')
    expect(eventRegistry.currentVersion('reply.sent')).toBe(1)
    expect(eventRegistry.currentVersion('nope')).toBeUndefined()
  })

  it('accepts a valid event from JSON text', () => {
    const e = envelope('conversation.started', 1, { channel: 'api', hasContact: false })
    const d = eventRegistry.decode(JSON.stringify(e))
    expect(d).toEqual({ ok: true, event: e, upcastFrom: null })
  })

  it.each([
    ['bad_json', '{"id": '],
    ['bad_envelope', JSON.stringify({ hello: 'world' })],
    ['unknown_type', JSON.stringify(envelope('order.teleported', 1, {}))],
    [
      'unknown_version',
      JSON.stringify(envelope('conversation.started', 2, { channel: 'api', hasContact: true })),
    ],
    [
      'unknown_version',
      JSON.stringify(envelope('conversation.started', 0, { channel: 'api', hasContact: true })),
    ],
    [
      'bad_payload',
      JSON.stringify(envelope('conversation.started', 1, { channel: 'fax', hasContact: true })),
    ],
    [
      'bad_payload',
      JSON.stringify(envelope('conversation.started', 1, { channel: 'api', hasContact: true, x: 1 })),
    ],
  ])('rejects %s', (reason, text) => {
    const d = eventRegistry.decode(text)
    expect(d.ok).toBe(false)
    if (!d.ok) expect(d.reason).toBe(reason)
  })

  it('upcasts a synthetic v0 event to v1 when read', () => {
    // v1 says `channel` and `hasContact`.
    const registry = createEventRegistry(v1Catalogue, [
      {
        type: 'conversation.started',
        from: 0,
        up: (p) => ({ channel: p.via === 'mail' ? 'email' : 'widget', hasContact: false }),
      },
    ])
    const old = envelope('conversation.started', 0, { via: 'mail' })
    const d = registry.decode(old)
    expect(d).toEqual({
      ok: true,
      event: { ...old, version: 1, payload: { channel: 'email', hasContact: false } },
      upcastFrom: 0,
    })
    // Without the upcaster the same event is refused, never passed through as if current.
    const bare = createEventRegistry(v1Catalogue)
    expect(bare.decode(old)).toMatchObject({ ok: false, reason: 'unknown_version' })
  })

  it('checks only the envelope of an event the producer validated, at the current version', () => {
    const validated = { payloadValidated: true }
    // The producer (buildEvent) validated it: the sink does not pay for the payload schema again.
    const e = envelope('conversation.started', 1, { channel: 'api', hasContact: false })
    expect(eventRegistry.decode(JSON.stringify(e), validated)).toEqual({
      ok: true,
      event: e,
      upcastFrom: null,
    })
    const unchecked = envelope('conversation.started', 1, { channel: 'fax', hasContact: true })
    expect(eventRegistry.decode(JSON.stringify(unchecked), validated)).toMatchObject({ ok: true })
    // The envelope, the type and the version are still checked; without the flag, the payload too.
    expect(eventRegistry.decode(JSON.stringify(unchecked))).toMatchObject({
      ok: false,
      reason: 'bad_payload',
    })
    const badEnvelope = { ...e, organizationId: 'not-a-uuid' }
    expect(eventRegistry.decode(JSON.stringify(badEnvelope), validated)).toMatchObject({
      ok: false,
      reason: 'bad_envelope',
    })
    const unknown = envelope('order.teleported', 1, {})
    expect(eventRegistry.decode(unknown, validated)).toMatchObject({ ok: false, reason: 'unknown_type' })
    const newer = envelope('conversation.started', 2, { channel: 'api', hasContact: true })
    expect(eventRegistry.decode(newer, validated)).toMatchObject({ ok: false, reason: 'unknown_version' })
  })

  it('still validates what an upcaster produced from an older version', () => {
    const registry = createEventRegistry(v1Catalogue, [
      { type: 'conversation.started', from: 0, up: () => ({ channel: 'fax', hasContact: false }) },
    ])
    const old = envelope('conversation.started', 0, { via: 'mail' })
    expect(registry.decode(old, { payloadValidated: true })).toMatchObject({
      ok: false,
      reason: 'bad_payload',
    })
  })

  it('refuses an upcaster chain that does not lead to an older version', () => {
    expect(() =>
      createEventRegistry(eventCatalogue, [{ type: 'reply.sent', from: 1, up: (p) => p }]),
    ).toThrow(/not older/)
    expect(() => createEventRegistry(eventCatalogue, [{ type: 'x', from: 0, up: (p) => p }])).toThrow(
      /unknown/,
    )
  })
})

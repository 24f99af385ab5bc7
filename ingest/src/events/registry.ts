import type { z } from 'zod'
import { eventCatalogue } from './catalogue.js'
import { parseEnvelope, type EventEnvelope } from './envelope.js'

/** One catalogue entry: the current version of a type and its payload schema. */
export interface CatalogueEntry {
  version: number
  payload: z.ZodType
}
export type Catalogue = Readonly<Record<string, CatalogueEntry>>

/** Turns a payload of version `from` into version `from + 1` of the same type. Pure. */
export interface Upcaster {
  type: string
  from: number
  up(payload: Record<string, unknown>): Record<string, unknown>
}

/** Why an incoming event was refused: the reason stored with it in the dead-letter queue. */
export type RejectReason = 'bad_json' | 'bad_envelope' | 'unknown_type' | 'unknown_version' | 'bad_payload'

export type Decoded =
  | { ok: true; event: EventEnvelope; upcastFrom: number | null }
  | { ok: false; reason: RejectReason; detail: string; type: string | null; id: string | null }

export interface EventRegistry {
  /** Every event type, sorted. */
  readonly types: readonly string[]
  currentVersion(type: string): number | undefined
  /**
   * Validates an envelope (JSON text, a Buffer of it, or parsed) and upcasts it to the current
   * version. `payloadValidated`: the producer already validated the payload against this catalogue
   * (buildEvent does; the relay says so in a header), so an event at the current version has only
   * its envelope checked. An older version is still upcast and validated.
   */
  decode(raw: unknown, options?: DecodeOptions): Decoded
}

export interface DecodeOptions {
  payloadValidated?: boolean
}

/** Builds a registry over a catalogue and its upcasters; refuses a chain with gaps or overlaps. */
export function createEventRegistry(
  catalogue: Catalogue,
  upcasters: readonly Upcaster[] = [],
): EventRegistry {
  const steps = new Map<string, Upcaster>()
  for (const u of upcasters) {
    const entry = catalogue[u.type]
    if (!entry) throw new Error(`upcaster for unknown event type ${u.type}`)
    if (u.from >= entry.version)
      throw new Error(`upcaster ${u.type} v${u.from} is not older than v${entry.version}`)
    const key = `${u.type}@${u.from}`
    if (steps.has(key)) throw new Error(`two upcasters for ${key}`)
    steps.set(key, u)
  }
  const types = Object.keys(catalogue).sort()
  return {
    types,
    currentVersion: (type) => catalogue[type]?.version,
    decode: (raw, options) => decode(catalogue, steps, raw, options?.payloadValidated === true),
  }
}

function reject(reason: RejectReason, detail: string, partial?: unknown): Decoded {
  const p = (partial ?? {}) as { type?: unknown; id?: unknown }
  return {
    ok: false,
    reason,
    detail: detail.slice(0, 1000),
    type: typeof p.type === 'string' ? p.type : null,
    id: typeof p.id === 'string' ? p.id : null,
  }
}

function decode(
  catalogue: Catalogue,
  steps: Map<string, Upcaster>,
  raw: unknown,
  payloadValidated: boolean,
): Decoded {
  let value = raw
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    try {
      value = JSON.parse(raw.toString())
    } catch (err) {
      return reject('bad_json', (err as Error).message)
    }
  }
  const env = parseEnvelope(value)
  if (!env.success) return reject('bad_envelope', env.error.message, value)
  const e = env.data
  const entry = catalogue[e.type]
  if (!entry) return reject('unknown_type', `unknown event type ${e.type}`, e)
  if (payloadValidated && e.version === entry.version) return { ok: true, event: e, upcastFrom: null }
  let payload = e.payload
  for (let v = e.version; v < entry.version; v++) {
    const step = steps.get(`${e.type}@${v}`)
    if (!step) return reject('unknown_version', `no upcaster from ${e.type} v${v}`, e)
    payload = step.up(payload)
  }
  if (e.version > entry.version)
    return reject('unknown_version', `${e.type} v${e.version} is newer than v${entry.version}`, e)
  const parsed = entry.payload.safeParse(payload)
  if (!parsed.success) return reject('bad_payload', parsed.error.message, e)
  const upcastFrom = e.version === entry.version ? null : e.version
  return {
    ok: true,
    event: { ...e, version: entry.version, payload: parsed.data as Record<string, unknown> },
    upcastFrom,
  }
}

/** Upcasters of the live catalogue. Empty: every type is still at version 1. */
export const upcasters: readonly Upcaster[] = []

/** The registry every process uses: the live catalogue and its upcasters. */
export const eventRegistry: EventRegistry = createEventRegistry(eventCatalogue, upcasters)

import { z } from 'zod'
import { EventEnvelope } from './envelope.js'
import type { Catalogue } from './registry.js'

/** Where the generated schemas live, relative to the repository root. */
export const jsonSchemaDir = 'docs/events'

/**
 * JSON Schema (draft 2020-12) of each event type at its current version: the whole envelope with
 * `type` and `version` pinned and the payload inlined. Keyed by file name `<type>.v<N>.json`.
 */
export function eventJsonSchemas(catalogue: Catalogue): Map<string, string> {
  const out = new Map<string, string>()
  for (const type of Object.keys(catalogue).sort()) {
    const entry = catalogue[type]!
    const file = `${type}.v${entry.version}.json`
    const schema = EventEnvelope.extend({
      type: z.literal(type),
      version: z.literal(entry.version),
      payload: entry.payload,
    })
    const json = {
      $id: `https://luneo.dev/events/${file}`,
      title: `${type} v${entry.version}`,
      ...z.toJSONSchema(schema, { target: 'draft-2020-12' }),
    }
    out.set(file, JSON.stringify(json, null, 2) + '\n')
  }
  return out
}

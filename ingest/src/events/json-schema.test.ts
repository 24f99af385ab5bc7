import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { eventCatalogue } from './catalogue.js'
import { eventJsonSchemas, jsonSchemaDir } from './json-schema.js'

const dir = join(fileURLToPath(new URL('../../../', import.meta.url)), jsonSchemaDir)

describe('committed JSON Schemas', () => {
  const schemas = eventJsonSchemas(eventCatalogue)

  it('has one file per event type and version', () => {
    expect(schemas.size).toBe(Object.keys(eventCatalogue).length)
    const committed = readdirSync(dir).filter((f) => f.endsWith('.json'))
    expect(committed.sort()).toEqual([...schemas.keys()].sort())
  })

  it.each([...eventJsonSchemas(eventCatalogue).keys()])(
    '%s is up to date (node --import tsx ingest/src/events/write-json-schemas.ts)',
    (file) => {
      const path = join(dir, file)
      expect(existsSync(path)).toBe(true)
      expect(readFileSync(path, 'utf8')).toBe(schemas.get(file))
    },
  )
})

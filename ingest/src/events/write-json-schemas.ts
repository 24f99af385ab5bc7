// Regenerates docs/events/*.json from the catalogue: `node --import tsx ingest/src/events/write-json-schemas.ts`.
// json-schema.test.ts fails when the committed files differ from what this would write.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { eventCatalogue } from './catalogue.js'
import { eventJsonSchemas, jsonSchemaDir } from './json-schema.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const dir = join(root, jsonSchemaDir)
mkdirSync(dir, { recursive: true })
const schemas = eventJsonSchemas(eventCatalogue)
for (const old of readdirSync(dir)) if (old.endsWith('.json') && !schemas.has(old)) rmSync(join(dir, old))
for (const [file, text] of schemas) writeFileSync(join(dir, file), text)
console.log(`wrote ${schemas.size} schemas to ${jsonSchemaDir}/`)

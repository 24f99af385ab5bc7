// The dashboard's API types, generated from the committed OpenAPI document (openapi-typescript).
// The dashboard imports nothing of ours, so it keeps its own copy; schema.test.ts fails while the
// copy lags api/openapi.json, and `npm run openapi` (root) rewrites it with the document.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'

export const DOCUMENT = fileURLToPath(new URL('../../api/openapi.json', import.meta.url))
export const TYPES = fileURLToPath(new URL('../src/api/schema.ts', import.meta.url))

const HEADER = '// Generated from api/openapi.json by `npm run openapi` (openapi-typescript); do not edit.\n'

/** The types file as `npm run openapi` writes it for the document at `path`. */
export async function renderClientTypes(path = DOCUMENT): Promise<string> {
  return HEADER + astToString(await openapiTS(readFileSync(path, 'utf8'), { silent: true }))
}

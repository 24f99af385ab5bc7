// `npm run openapi` (root) calls this after rewriting api/openapi.json.
import { writeFileSync } from 'node:fs'
import { renderClientTypes, TYPES } from './client-types.js'

writeFileSync(TYPES, await renderClientTypes())
console.log('wrote dashboard/src/api/schema.ts')

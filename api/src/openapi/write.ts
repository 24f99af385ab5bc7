// `npm run openapi`: rewrites the committed OpenAPI document and the client types generated from
// it. openapi.test.ts fails while either differs from what this would write.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CONTRACT_FILES, renderContract } from './contract.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const contract = await renderContract()
writeFileSync(join(root, CONTRACT_FILES.document), contract.document)
writeFileSync(join(root, CONTRACT_FILES.types), contract.types)
console.log(`wrote ${CONTRACT_FILES.document} and ${CONTRACT_FILES.types}`)

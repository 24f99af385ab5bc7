import type { FastifyInstance } from 'fastify'
import openapiTS, { astToString } from 'openapi-typescript'
import { openRouteOnlyApp } from './route-only-app.js'

/** The committed contract, relative to the repository root; `npm run openapi` rewrites both. */
export const CONTRACT_FILES = {
  document: 'api/openapi.json',
  types: 'api/src/client/schema.ts',
} as const

const TYPES_HEADER = `// Generated from ${CONTRACT_FILES.document} by \`npm run openapi\` (openapi-typescript); do not edit.\n`

export interface Contract {
  /** The OpenAPI document as committed: 2-space JSON in the app's key order, a trailing newline. */
  document: string
  /** The client's types (openapi-typescript), generated from that document. */
  types: string
}

/** The contract of a built app. */
export async function contractOf(app: FastifyInstance): Promise<Contract> {
  const document = `${JSON.stringify(app.swagger(), null, 2)}\n`
  const types = TYPES_HEADER + astToString(await openapiTS(document, { silent: true }))
  return { document, types }
}

/** The contract of the app as the code declares it (no store opened). */
export async function renderContract(): Promise<Contract> {
  const app = await openRouteOnlyApp()
  try {
    return await contractOf(app)
  } finally {
    await app.close()
  }
}

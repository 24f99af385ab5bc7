import type { ErrorCode } from '../errors.js'
import { problemResponses } from './problems.js'

// The last pass over the document @fastify/swagger and fastify-type-provider-zod produce: component
// names a client reads well, only the components in use, problem responses, success descriptions.

type Json = { [key: string]: unknown }
export interface OpenApiDocument extends Json {
  paths: Record<string, Record<string, Json>>
  components: { schemas?: Record<string, unknown> } & Json
}

const SCHEMA_REF = '#/components/schemas/'
const SUCCESS: Record<string, string> = { '200': 'OK', '201': 'Created', '204': 'No Content' }

/** Every schema component a JSON value refers to. */
function refsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) refsIn(v, into)
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string' && v.startsWith(SCHEMA_REF))
        into.add(v.slice(SCHEMA_REF.length))
      else refsIn(v, into)
    }
  }
  return into
}

/** The components the operations use, directly or through other components. */
function reachable(doc: OpenApiDocument): Set<string> {
  const schemas = doc.components.schemas ?? {}
  const seen = new Set<string>()
  const todo = [...refsIn(doc.paths)]
  for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
    if (seen.has(name)) continue
    seen.add(name)
    todo.push(...refsIn(schemas[name]))
  }
  return seen
}

/** Rewrites each `$ref` whose component is renamed. */
function renameRefs(value: unknown, renames: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => renameRefs(v, renames))
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      const renamed = typeof v === 'string' && key === '$ref' && renames.get(v.slice(SCHEMA_REF.length))
      return [key, renamed ? SCHEMA_REF + renamed : renameRefs(v, renames)]
    }),
  )
}

/**
 * The zod provider emits every named schema twice, `X` (what the API answers) and `XInput` (what
 * it accepts), and refers to `XInput` from request bodies. Keeps the ones in use, and names an
 * input `X` when no answer uses `X`; both stay only when a schema really is used both ways.
 */
export function tidyComponents(doc: OpenApiDocument): OpenApiDocument {
  const used = reachable(doc)
  const renames = new Map<string, string>()
  for (const name of used) {
    const base = name.replace(/Input$/, '')
    if (base !== name && !used.has(base)) renames.set(name, base)
  }
  const schemas = doc.components.schemas ?? {}
  const kept = [...used].map((name) => [renames.get(name) ?? name, schemas[name]] as const)
  kept.sort(([a], [b]) => a.localeCompare(b))
  const tidy = renameRefs(
    { ...doc, components: { ...doc.components, schemas: Object.fromEntries(kept) } },
    renames,
  )
  return tidy as OpenApiDocument
}

/** Adds each operation's problem responses (from its operationId) and names its success responses. */
export function addResponses(
  doc: OpenApiDocument,
  problemsOf: (operationId: string) => readonly ErrorCode[],
): OpenApiDocument {
  for (const operations of Object.values(doc.paths)) {
    for (const operation of Object.values(operations)) {
      const responses = operation.responses as Record<string, Json>
      for (const [status, response] of Object.entries(responses)) {
        if (response.description === 'Default Response' && SUCCESS[status])
          response.description = SUCCESS[status]
      }
      Object.assign(responses, problemResponses(problemsOf(String(operation.operationId))))
    }
  }
  return doc
}

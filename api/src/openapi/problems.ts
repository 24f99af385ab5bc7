import type { Access } from '../caller.js'
import { errorCatalogue, type ErrorCode } from '../errors.js'

/** What decides the problems a route can answer; read from its options when it is registered. */
export interface RouteFacts {
  method: string
  access: Access
  /** Declares params, a querystring or a body, so Fastify validates them (400). */
  validates: boolean
  /** Names a resource in its path (`:id`): another tenant's looks missing (404). */
  addressesResource: boolean
  /** What its handler answers beyond the above (`config.problems`): a 409, a referenced id's 404. */
  declared: readonly ErrorCode[]
}

/** Methods whose body Fastify parses: malformed JSON, an unknown media type and the size limit apply. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH'])
/** Methods plugins/auth.ts checks the browser rules (Origin allow-list, CSRF) on. */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const CATALOGUE_ORDER = Object.keys(errorCatalogue) as ErrorCode[]

/**
 * The codes a route can answer, in catalogue order. Derived from what enforces them: the global
 * rate limit (app.ts) covers every route, plugins/auth.ts turns `access` into 401/403, Fastify's
 * validation and body parser give the 400s, 413 and 415; the route adds what only its handler knows.
 */
export function problemCodes(route: RouteFacts): ErrorCode[] {
  const codes = new Set<ErrorCode>([...route.declared, 'rate_limited'])
  const add = (...more: ErrorCode[]) => more.forEach((c) => codes.add(c))
  if (route.validates) add('validation_failed')
  if (BODY_METHODS.has(route.method)) add('invalid_json', 'body_too_large', 'unsupported_media_type')
  if (route.addressesResource) add('not_found')
  if (route.access === 'operator') {
    // The operator token is checked alone (no browser rules); without one configured the route is absent.
    add('unauthenticated', 'route_not_found')
  } else {
    const write = WRITE_METHODS.has(route.method)
    if (write) add('origin_forbidden')
    if (route.access !== 'public') add('unauthenticated', ...(write ? (['csrf_failed'] as const) : []))
    if (typeof route.access === 'object') add('forbidden')
  }
  return CATALOGUE_ORDER.filter((c) => codes.has(c))
}

/** A problem response per status, each listing its codes (`x-codes`) and all referring to `Problem`. */
export function problemResponses(codes: readonly ErrorCode[]): Record<string, object> {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of codes) {
    const { status } = errorCatalogue[code]
    byStatus.set(status, [...(byStatus.get(status) ?? []), code])
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      {
        description: list.map((c) => `\`${c}\`: ${errorCatalogue[c].title}`).join('; '),
        'x-codes': list,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    ]),
  )
}

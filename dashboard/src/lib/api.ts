'use client'
// The typed client (openapi-fetch over the generated schema). It calls the same origin; writes
// echo the readable luneo_csrf cookie as x-csrf-token (the API's double-submit check, ADR 0004).
import createClient, { type Middleware } from 'openapi-fetch'
import type { components, paths } from '@/api/schema'

export type Schemas = components['schemas']
export type Problem = Schemas['Problem']

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The CSRF token the API set beside the session cookie (readable by design). */
export function csrfToken(): string | undefined {
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith('luneo_csrf='))
    ?.slice('luneo_csrf='.length)
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (SAFE.has(request.method)) return request
    const token = csrfToken()
    if (token) request.headers.set('x-csrf-token', decodeURIComponent(token))
    return request
  },
}

export const api = createClient<paths>({ baseUrl: '' })
api.use(csrf)

/** A problem+json answer (or a network failure) as the one sentence the user reads. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    /** The problem's field errors (validation_failed), to say which field and why. */
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(detail)
  }
}

/** Any failure as an ApiError: the API's own, or a network failure (the API did not answer). */
export function toApiError(err: unknown): ApiError {
  return err instanceof ApiError
    ? err
    : new ApiError(0, 'unavailable', 'The dashboard could not reach the API')
}

function problem(r: { error?: unknown; response: Response }): ApiError {
  const p = r.error as Partial<Problem> | undefined
  return new ApiError(
    r.response.status,
    p?.code ?? 'internal',
    p?.detail ?? `HTTP ${r.response.status}`,
    p?.errors ?? [],
  )
}

/** The data of an openapi-fetch result, or an ApiError carrying the API's `detail`. */
export function unwrap<T>(r: { data?: T; error?: unknown; response: Response }): T {
  if (r.data !== undefined && r.response.ok) return r.data
  throw problem(r)
}

/** A write the API answers with 204 and no body (a delete, a revoke): nothing, or its ApiError. */
export function succeeded(r: { error?: unknown; response: Response }): void {
  if (!r.response.ok) throw problem(r)
}

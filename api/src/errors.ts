/**
 * The error catalogue: every error the API returns has a stable `code`, a status and a title.
 * Clients switch on `code`; titles may be reworded, codes never change.
 */
export const errorCatalogue = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  invalid_json: { status: 400, title: 'The body is not valid JSON' },
  unsupported_media_type: { status: 415, title: 'Send application/json' },
  body_too_large: { status: 413, title: 'The body is larger than the limit' },
  unauthenticated: { status: 401, title: 'Sign in or send an API key' },
  invalid_credentials: { status: 401, title: 'Email or password is wrong' },
  csrf_failed: { status: 403, title: 'Missing or wrong CSRF token' },
  origin_forbidden: { status: 403, title: 'This origin may not call the API' },
  forbidden: { status: 403, title: 'Your role or key scope does not allow this' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflicts with the current state' },
  email_taken: { status: 409, title: 'An account with this email exists' },
  rate_limited: { status: 429, title: 'Too many requests' },
  compliance_required: { status: 403, title: 'This vertical needs the compliance flag' },
  sso_required: { status: 403, title: 'This organization requires sign-in through its identity provider' },
  sso_not_configured: { status: 404, title: 'No single sign-on is set up for this email domain' },
  sso_failed: { status: 401, title: 'Sign-in with the identity provider did not complete' },
  sso_email_unverified: { status: 403, title: 'The identity provider has not verified this email' },
  sso_no_access: { status: 403, title: 'This sign-in gives no access to the organization' },
  sso_issuer_invalid: { status: 422, title: 'The issuer does not answer OpenID Connect discovery' },
  sso_provider_unreachable: { status: 502, title: 'The identity provider did not answer as expected' },
  internal: { status: 500, title: 'Something went wrong on our side' },
  unavailable: { status: 503, title: 'A store is not reachable' },
} as const

export type ErrorCode = keyof typeof errorCatalogue

export interface FieldError {
  path: string
  message: string
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly errors: FieldError[] | undefined

  constructor(code: ErrorCode, detail?: string, errors?: FieldError[]) {
    super(detail ?? errorCatalogue[code].title)
    this.code = code
    this.status = errorCatalogue[code].status
    this.errors = errors
  }
}

/** 404 for a resource this caller cannot see: another tenant's rows look exactly like missing ones. */
export const notFound = (resource: string): AppError => new AppError('not_found', `${resource} not found`)

export interface Problem {
  type: string
  title: string
  status: number
  code: ErrorCode
  detail: string
  instance?: string
  requestId?: string
  errors?: FieldError[]
}

/** RFC 9457 problem details for an AppError. */
export function toProblem(err: AppError, instance: string, requestId: string): Problem {
  return {
    type: `https://luneo.dev/problems/${err.code}`,
    title: errorCatalogue[err.code].title,
    status: err.status,
    code: err.code,
    detail: err.message,
    instance,
    requestId,
    ...(err.errors ? { errors: err.errors } : {}),
  }
}

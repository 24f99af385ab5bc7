import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod'
import { AppError, toProblem, type FieldError } from '../errors.js'

function fieldErrors(err: FastifyError): FieldError[] {
  return (err.validation ?? []).map((v) => ({
    // instancePath is '/' for the root (unknown keys, wrong top-level type): say `body`, not `body.`.
    path: [err.validationContext ?? 'body', ...v.instancePath.split('/').filter(Boolean)].join('.'),
    message: v.message ?? 'invalid',
  }))
}

/** Maps anything thrown to an AppError; unknown errors become a 500 whose detail is never leaked. */
export function classify(err: FastifyError): AppError {
  if (err instanceof AppError) return err
  if (hasZodFastifySchemaValidationErrors(err))
    return new AppError('validation_failed', undefined, fieldErrors(err))
  if (err.validation) return new AppError('validation_failed', undefined, fieldErrors(err))
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('body_too_large')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('invalid_json')
    case '23505':
      return new AppError('conflict')
    // Postgres refuses NUL (\u0000) in text and jsonb: 22021 in text, 22P05 in jsonb. The client sent it.
    case '22021':
    case '22P05':
      return new AppError('validation_failed', 'Text must not contain NUL (\\u0000) characters')
  }
  if (err instanceof SyntaxError && err.statusCode === 400) return new AppError('invalid_json')
  if (err.statusCode === 429) return new AppError('rate_limited')
  if (err.statusCode === 415) return new AppError('unsupported_media_type')
  if (err.statusCode === 413) return new AppError('body_too_large')
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500 && err.statusCode !== 404) {
    return new AppError('validation_failed', err.message)
  }
  return new AppError('internal')
}

const ROUTED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/**
 * The methods a path answers, for `Allow`: those with a route (HEAD rides along with GET), then
 * OPTIONS, which @fastify/cors answers on every path. Empty when no route has the path.
 */
function allowedMethods(app: FastifyInstance, path: string): string[] {
  const routed = ROUTED_METHODS.filter((method) => app.findRoute({ method, url: path }))
  return routed.length ? [...routed, 'OPTIONS'] : []
}

function sendProblem(req: FastifyRequest, reply: FastifyReply, err: AppError): void {
  void reply
    .code(err.status)
    .type('application/problem+json')
    .send(toProblem(err, req.url, req.id))
}

/**
 * For Fastify's `frameworkErrors`: what the router refuses before any route or hook runs (a
 * malformed URL, a path parameter over `maxParamLength`) leaves as problem+json too, a 400.
 */
export function sendFrameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  sendProblem(req, reply, classify(err))
}

/** One error handler: every error leaves as RFC 9457 problem+json with a stable code. */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const appErr = classify(err)
    if (appErr.status >= 500) {
      req.log.error({ err, serialization: isResponseSerializationError(err) }, 'request failed')
    }
    sendProblem(req, reply, appErr)
  })
  /** No route takes the request: 405 with Allow on a known path (RFC 9110 §15.5.6), else 404. */
  const noRoute = (req: FastifyRequest, reply: FastifyReply): AppError => {
    const path = req.url.split('?')[0] ?? req.url
    const allowed = allowedMethods(app, path)
    if (!allowed.length) return new AppError('route_not_found', `${req.method} ${path} does not exist`)
    void reply.header('allow', allowed.join(', '))
    return new AppError(
      'method_not_allowed',
      `${req.method} ${path} is not allowed; use ${allowed.join(', ')}`,
    )
  }
  // Decided before the body is read: otherwise a body the request should never have had (a QUERY
  // without Content-Type, a malformed JSON) is refused as a 400 first.
  app.addHook('preParsing', async (req, reply, payload) => {
    if (req.is404) throw noRoute(req, reply)
    return payload
  })
  app.setNotFoundHandler((req, reply) => sendProblem(req, reply, noRoute(req, reply)))
})

import swagger, { type SwaggerTransform } from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import type { ZodType } from 'zod'
import type { ErrorCode } from '../errors.js'
import { addResponses, tidyComponents, type OpenApiDocument } from '../openapi/document.js'
import { problemCodes } from '../openapi/problems.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Codes the handler answers beyond those its access, method and schema imply
     * (openapi/problems.ts derives those): a 409, a 404 for an id in the body.
     */
    problems?: readonly ErrorCode[]
  }
  interface FastifySchema {
    /**
     * What the handler reads or writes itself, so Fastify neither validates nor serializes it: a
     * multipart form (`req.file()`), a stream. Documented as if it were `body` / `response`.
     */
    documentedOnly?: { body?: ZodType; response?: Record<number, DocumentedResponse> }
  }
}

/** A response in a media type of its own (`text/csv`), for `schema.documentedOnly`. */
export interface DocumentedResponse {
  description: string
  content: Record<string, { schema: ZodType }>
}

const TAGS = [
  ['auth', 'Sign-up, sessions (cookies + CSRF header) and the current user'],
  ['members', 'People of the organization and their roles'],
  ['api-keys', 'Machine credentials with scopes'],
  ['organization', 'The organization, its ROI assumptions, webhook and audit log'],
  ['privacy', 'Retention policy and erasure of a contact’s data everywhere'],
  ['onboarding', "The vertical template's onboarding questions and the organization's answers"],
  ['agents', 'Conversation agents'],
  ['knowledge', 'Knowledge bases and their documents'],
  ['conversations', 'Conversations, messages, feedback and outcomes'],
  ['channels', 'Inbound channels (email)'],
  ['experiments', 'Prompt versions and prompt experiments'],
  ['engine', 'Intent corrections and tasks the engine opened'],
  ['analytics', 'Measures, ROI, signals, resolved conversations, benchmarks'],
  ['knowledge-gaps', 'Questions the agents could not answer, to review'],
  ['widget', 'The embeddable web widget: its keys, and the visitor endpoints'],
  ['health', 'Liveness and readiness'],
  ['operator', 'Platform operator (LUNEO_OPERATOR_TOKEN)'],
] as const

/** `schema.documentedOnly` goes where the zod transform documents a body and responses. */
const transform: SwaggerTransform = (input) => {
  const { documentedOnly, ...schema } = input.schema ?? {}
  if (!documentedOnly) return jsonSchemaTransform(input)
  const response = { ...(schema.response as object | undefined), ...documentedOnly.response }
  return jsonSchemaTransform({
    ...input,
    schema: { ...schema, body: documentedOnly.body ?? schema.body, response },
  })
}

function isDocumented(route: RouteOptions): boolean {
  // HEAD twins of GET routes are not documented (and would repeat their operationId).
  return route.method !== 'HEAD' && route.schema?.hide !== true
}

/**
 * The OpenAPI document (3.1, served at /api/v1/openapi.json, Swagger UI at /docs) and its rules:
 * every documented route has a unique operationId and a tag or the app refuses to start, and each
 * operation lists the problems it can answer. Register before the routes.
 */
export const openApiPlugin = fp(async (app: FastifyInstance) => {
  const problems = new Map<string, readonly ErrorCode[]>()
  app.addHook('onRoute', (route) => {
    if (!isDocumented(route)) return
    const name = `${String(route.method)} ${route.url}`
    const { operationId, tags, params, querystring, body, documentedOnly } = route.schema ?? {}
    if (!operationId) throw new Error(`Route ${name} has no operationId (or schema.hide: true)`)
    if (problems.has(operationId)) throw new Error(`Route ${name} repeats the operationId ${operationId}`)
    if (!tags?.length) throw new Error(`Route ${name} has no tag`)
    const access = route.config?.access
    if (access === undefined) return // plugins/auth.ts refuses it
    if (access === 'operator' && route.schema) route.schema.security ??= [{ operatorToken: [] }]
    problems.set(
      operationId,
      problemCodes({
        method: String(route.method),
        access,
        validates: Boolean(params ?? querystring ?? body ?? documentedOnly?.body),
        addressesResource: Boolean(params),
        declared: route.config?.problems ?? [],
      }),
    )
  })
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Luneo API',
        version: '1.0.0',
        description:
          'Vertical AI conversation agents that prove and improve their worth. Errors are RFC 9457 ' +
          '`application/problem+json` (`Problem`); each error response lists the `code`s it can carry in ' +
          '`x-codes`. Clients are generated from this document (`api/openapi.json`).',
      },
      tags: TAGS.map(([name, description]) => ({ name, description })),
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key, `lk_…`' },
          session: { type: 'apiKey', in: 'cookie', name: 'luneo_at' },
          operatorToken: { type: 'http', scheme: 'bearer', description: 'LUNEO_OPERATOR_TOKEN' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform,
    transformObject: (input) => {
      const doc = jsonSchemaTransformObject(input) as OpenApiDocument
      return tidyComponents(addResponses(doc, (id) => problems.get(id) ?? []))
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
})

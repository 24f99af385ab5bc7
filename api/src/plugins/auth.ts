import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { resolveApiKey, resolveSession } from '@luneo/warehouse'
import { ROLE_RANK, type Access, type Auth, type Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { AppError } from '../errors.js'
import { safeEqual, sha256, verifyAccessToken } from '../auth/crypto.js'
import { ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER } from '../auth/cookies.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route declares who may call it; a route without it is refused at startup. */
    access?: Access
    /**
     * 'route': the route checks the request's Origin itself (the public widget: each widget key
     * has its own allowed origins), so the global allow-list does not apply to it.
     */
    originCheck?: 'route'
  }
  interface FastifyRequest {
    auth: Auth | null
  }
  interface FastifyInstance {
    /** Every route with its declared access: the cross-tenant and role tests are generated from it. */
    routeTable: RouteEntry[]
  }
}

export interface RouteEntry {
  method: string
  url: string
  access: Access
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

async function authenticate(deps: AppDeps, req: FastifyRequest): Promise<Auth | null> {
  const header = req.headers.authorization
  if (header) {
    const m = /^Bearer (lk_[A-Za-z0-9_-]{20,100})$/.exec(header)
    if (!m) throw new AppError('unauthenticated', 'Authorization must be "Bearer lk_…"')
    const hash = sha256(m[1]!)
    let key = deps.keyCache?.get(hash)
    if (!key) {
      key = await resolveApiKey(deps.db, hash)
      if (key) deps.keyCache?.set(hash, key)
    }
    if (!key) throw new AppError('unauthenticated', 'Unknown or revoked API key')
    return {
      organizationId: key.organization_id,
      vertical: key.vertical,
      actor: { type: 'api_key', keyId: key.key_id, scopes: key.scopes },
      viaCookie: false,
    }
  }
  const token = req.cookies[ACCESS_COOKIE]
  if (!token) return null
  const sessionId = verifyAccessToken(deps.secret, token)
  if (!sessionId) throw new AppError('unauthenticated', 'Session expired: refresh it or sign in again')
  const s = await resolveSession(deps.db, sessionId)
  if (!s) throw new AppError('unauthenticated', 'Session ended: sign in again')
  return {
    organizationId: s.organization_id,
    vertical: s.vertical,
    actor: { type: 'user', userId: s.user_id, email: s.email, role: s.role, sessionId: s.session_id },
    viaCookie: true,
  }
}

/** Cookie-authenticated writes need the double-submit token, and a browser Origin on the allow-list. */
function checkBrowserRules(deps: AppDeps, req: FastifyRequest, cookieAuth: boolean): void {
  if (SAFE_METHODS.has(req.method)) return
  const origin = req.headers.origin
  const routeChecksOrigin = req.routeOptions.config.originCheck === 'route' && !cookieAuth
  if (
    origin &&
    !routeChecksOrigin &&
    !deps.config.corsOrigins.includes(origin) &&
    origin !== `${req.protocol}://${req.host}`
  ) {
    throw new AppError('origin_forbidden', `Origin ${origin} is not allowed`)
  }
  if (!cookieAuth) return
  const cookie = req.cookies[CSRF_COOKIE]
  const sent = req.headers[CSRF_HEADER]
  if (!cookie || typeof sent !== 'string' || !safeEqual(cookie, sent)) throw new AppError('csrf_failed')
}

/** Operator routes: the LUNEO_OPERATOR_TOKEN bearer, compared in constant time; absent token = no such route. */
function checkOperator(deps: AppDeps, req: FastifyRequest): void {
  const token = deps.config.operatorToken
  if (!token) throw new AppError('route_not_found', 'Operator routes are off (set LUNEO_OPERATOR_TOKEN)')
  const sent = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? ''
  if (!safeEqual(sent, token)) throw new AppError('unauthenticated', 'Operator token required')
}

export function authorize(access: Access, auth: Auth | null): void {
  if (access === 'public') return
  if (access === 'operator') throw new AppError('forbidden')
  if (!auth) throw new AppError('unauthenticated')
  if (access === 'authenticated') return
  const actor = auth.actor
  if (actor.type === 'user') {
    if (ROLE_RANK[actor.role] < ROLE_RANK[access.role])
      throw new AppError('forbidden', `Needs role ${access.role} or higher`)
    return
  }
  if (actor.scopes.includes('admin')) return
  if (!access.scopes.some((s) => actor.scopes.includes(s))) {
    throw new AppError('forbidden', `Needs one of the scopes: ${access.scopes.join(', ') || 'admin'}`)
  }
}

/** Resolves the caller on every request and enforces the route's declared access. */
export const authPlugin = fp(async (app: FastifyInstance, deps: AppDeps) => {
  app.decorateRequest('auth', null)
  const table: RouteEntry[] = []
  app.decorate('routeTable', table)
  app.addHook('onRoute', (route) => {
    const isInternal = route.url.startsWith('/docs') || route.method === 'HEAD'
    if (isInternal) return
    const access = route.config?.access
    if (access === undefined)
      throw new Error(`Route ${String(route.method)} ${route.url} declares no access rule`)
    for (const method of [route.method].flat()) table.push({ method, url: route.url, access })
    // Otherwise the document's global `security` claims public routes (signup, health) need a key.
    if (access === 'public' && route.schema) route.schema.security ??= []
  })
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access
    if (access === undefined) return // 404 handler and docs assets
    if (access === 'operator') return checkOperator(deps, req)
    const auth = access === 'public' ? null : await authenticate(deps, req)
    checkBrowserRules(deps, req, auth?.viaCookie ?? false)
    authorize(access, auth)
    req.auth = auth
  })
})

/** The caller of a route that is not public. */
export function authOf(req: FastifyRequest): Auth {
  if (!req.auth) throw new AppError('unauthenticated')
  return req.auth
}

/** The plain caller services take: who, under which request id, and the request's logger. */
export function callerOf(req: FastifyRequest): Caller {
  return { auth: authOf(req), requestId: req.id, log: req.log }
}

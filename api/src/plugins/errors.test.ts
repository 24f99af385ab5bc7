import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRouteOnlyApp } from '../openapi/route-only-app.js'

// Routing answers come before any handler, so the app needs no store here (route-only-app.ts).
let app: FastifyInstance
beforeAll(async () => {
  app = await openRouteOnlyApp()
})
afterAll(async () => app?.close())

const UUID = '0190f0f0-0000-7000-8000-000000000000'
const ALLOWED_ORIGIN = 'http://localhost:3001' // config's default LUNEO_CORS_ORIGINS

describe('a known path with an undeclared method', () => {
  it.each([
    ['PUT', '/api/v1/agents', 'GET, HEAD, POST, OPTIONS'],
    ['POST', `/api/v1/agents/${UUID}`, 'GET, HEAD, PATCH, DELETE, OPTIONS'],
    ['GET', '/api/v1/auth/login', 'POST, OPTIONS'],
    ['DELETE', '/healthz', 'GET, HEAD, OPTIONS'],
    ['HEAD', '/widget/v1/conversations', 'POST, OPTIONS'],
    ['TRACE', '/api/v1/analytics/roi', 'GET, HEAD, OPTIONS'],
    // QUERY (RFC 10008) needs a Content-Type; the method is refused before that is looked at.
    ['QUERY', '/api/v1/agents', 'GET, HEAD, POST, OPTIONS'],
  ] as const)('%s %s → 405, Allow: %s', async (method, url, allow) => {
    const res = await app.inject({ method, url })
    expect(res.statusCode).toBe(405)
    expect(res.headers.allow).toBe(allow)
    if (method === 'HEAD') return // no body
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(res.json()).toMatchObject({ status: 405, code: 'method_not_allowed', instance: url })
  })
})

describe('what stays as it was', () => {
  it('an unknown path is 404 route_not_found, without Allow, whatever the body', async () => {
    for (const url of ['/api/v1/nope', '/widget/v2/anything', `/api/v1/agents/${UUID}/nope`]) {
      const res = await app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(404)
      expect(res.json().code).toBe('route_not_found')
      expect(res.headers.allow).toBeUndefined()
    }
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/v1/nope',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    })
    expect([malformed.statusCode, malformed.json().code]).toEqual([404, 'route_not_found'])
  })

  it('what the router refuses itself is problem+json too: an over-long path parameter, a bad URL', async () => {
    for (const url of [`/api/v1/agents/${'x'.repeat(101)}`, '/api/v1/agents/%E0%A4%A']) {
      const res = await app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(400)
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8')
      expect(res.json().code).toBe('validation_failed')
    }
  })

  it('a declared method is routed as before (HEAD with GET included)', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
    expect((await app.inject({ method: 'HEAD', url: '/healthz' })).statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/api/v1/agents' })).json().code).toBe('unauthenticated')
  })

  it('CORS preflights are answered on any known path, and the 405 carries CORS headers', async () => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/agents',
      headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST' },
    })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN)
    const res = await app.inject({
      method: 'PUT',
      url: '/api/v1/agents',
      headers: { origin: ALLOWED_ORIGIN },
    })
    expect(res.statusCode).toBe(405)
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN)
  })
})

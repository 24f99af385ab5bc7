import type { AddressInfo } from 'node:net'
import createClient, { type Middleware } from 'openapi-fetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROI_MEASURES } from '../schemas/analytics.js'
import { startTestApp, type TestApp } from '../testing/harness.js'
import type { components, paths } from './schema.js'

// The client the dashboard will use: openapi-fetch typed by the types generated from the committed
// document (api/src/client/schema.ts), over real HTTP. A wrong path, parameter or field is a tsc
// error, and the `@ts-expect-error` lines below fail tsc the day the types stop catching one.

type Problem = components['schemas']['Problem']

/** What a browser does for the dashboard: keep the session cookies, echo the CSRF one on writes. */
function browserSession(): Middleware {
  const jar = new Map<string, string>()
  return {
    onRequest({ request }) {
      if (jar.size) request.headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
      const csrf = jar.get('luneo_csrf')
      if (csrf && request.method !== 'GET') request.headers.set('x-csrf-token', csrf)
      return request
    },
    onResponse({ response }) {
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';')
        const [name = '', value = ''] = pair.split('=')
        if (value) jar.set(name, value)
        else jar.delete(name) // cleared by signOut
      }
      return response
    },
  }
}

/** The data of a success; the problem's code and detail otherwise. */
function ok<T>(r: { data?: T; error?: Problem; response: Response }): T {
  if (r.data === undefined) throw new Error(`${r.response.status} ${r.error?.code}: ${r.error?.detail}`)
  return r.data
}

let t: TestApp
let api: ReturnType<typeof createClient<paths>>
const credentials = { email: `typed-client-${Date.now()}@example.com`, password: 'correct horse battery' }
beforeAll(async () => {
  t = await startTestApp()
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = t.app.server.address() as AddressInfo
  api = createClient<paths>({ baseUrl: `http://127.0.0.1:${port}` })
  api.use(browserSession())
})
afterAll(async () => t?.close())

describe('a client generated from api/openapi.json', () => {
  it('signs up, signs out and signs in with cookies and the CSRF header', async () => {
    const me = ok(
      await api.POST('/api/v1/auth/signup', {
        body: { ...credentials, organizationName: 'Typed Client', vertical: 'ecommerce' },
      }),
    )
    expect(me.role).toBe('owner')
    const out = await api.POST('/api/v1/auth/logout')
    expect(out.response.status).toBe(204)
    expect(ok(await api.POST('/api/v1/auth/login', { body: credentials })).organization.id).toBe(
      me.organization.id,
    )
  })

  it('creates an agent, opens a conversation, talks, and lists it', async () => {
    const agent = ok(
      await api.POST('/api/v1/agents', { body: { name: 'Shop assistant', knowledgeBaseIds: [] } }),
    )
    const conversation = ok(
      await api.POST('/api/v1/conversations', { body: { agentId: agent.id, channel: 'api' } }),
    )
    const reply = ok(
      await api.POST('/api/v1/conversations/{id}/messages', {
        params: { path: { id: conversation.id } },
        body: { text: 'How long does delivery take?' },
      }),
    )
    expect(reply.conversationId).toBe(conversation.id)
    const page = ok(
      await api.GET('/api/v1/conversations', { params: { query: { agentId: agent.id, limit: 10 } } }),
    )
    expect(page.items.map((c) => c.id)).toEqual([conversation.id])
    expect(page.items[0]?.messageCount).toBe(2)
  })

  it('reads ROI typed by its measures', async () => {
    await t.drainer.drainAll()
    const refresh = ok(await api.POST('/api/v1/analytics/refresh'))
    expect(refresh.jobs.length).toBeGreaterThan(0)
    const roi = ok(await api.GET('/api/v1/analytics/roi', { params: { query: { granularity: 'week' } } }))
    expect(Object.keys(roi.totals)).toEqual([...ROI_MEASURES])
    const conversations: number | null = roi.totals.conversations
    expect(conversations).toBe(1)
    expect(roi.series.map((p) => [Object.keys(p)[0], p.conversations])).toEqual([['week', 1]])
    // @ts-expect-error — not an ROI measure
    expect(roi.totals.no_such_measure).toBeUndefined()
  })

  it('reads a problem’s stable code', async () => {
    const ghost = '0190f0f0-0000-7000-8000-000000000000'
    const missing = await api.GET('/api/v1/agents/{id}', { params: { path: { id: ghost } } })
    expect([missing.response.status, missing.error?.code]).toEqual([404, 'not_found'])
    expect(missing.response.headers.get('content-type')).toContain('application/problem+json')

    // @ts-expect-error — NewAgent has no `nam`; the server refuses it too
    const wrong = await api.POST('/api/v1/agents', { body: { nam: 'x' } })
    expect(wrong.error?.code).toBe('validation_failed')
    expect(wrong.error?.errors?.map((e) => e.path)).toContain('body')

    // @ts-expect-error — not a path of the document; the server has no such route either
    const nowhere = await api.GET('/api/v1/agent')
    expect(nowhere.response.status).toBe(404)
  })
})

import { Script } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  as,
  confirmStarterKnowledge,
  createKey,
  signup,
  startTestApp,
  type TestApp,
} from '../testing/harness.js'

// The web widget over HTTP on real stores: admin keys, the Origin and token rules, CORS done by
// the routes themselves, the per-key rate limit, and what a visitor gets back.

const SHOP = 'https://shop.example.com'
const ELSEWHERE = 'https://evil.example.net'
const RATE_LIMIT = 30

let t: TestApp
let key: string
let agentId: string
beforeAll(async () => {
  t = await startTestApp({ widgetRateLimitPerMinute: RATE_LIMIT })
  const owner = await signup(t.app, 'ecommerce')
  key = await createKey(t.app, owner, ['admin'])
  const agent = await t.app.inject({
    method: 'POST',
    url: '/api/v1/agents',
    headers: as(key),
    payload: { name: 'shop bot' },
  })
  agentId = agent.json().id
  await confirmStarterKnowledge(t.app, key, agentId)
})
afterAll(async () => t?.close())

async function newWidgetKey(origins = [SHOP]) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/widget-keys',
    headers: as(key),
    payload: { agentId, allowedOrigins: origins },
  })
  expect(r.statusCode, r.body).toBe(201)
  return r.json<{ id: string; publicKey: string; allowedOrigins: string[] }>()
}

const open = (publicKey: string, origin: string | null = SHOP) =>
  t.app.inject({
    method: 'POST',
    url: '/widget/v1/conversations',
    headers: { 'x-luneo-widget-key': publicKey, ...(origin ? { origin } : {}) },
    payload: {},
  })

const say = (
  publicKey: string,
  conversationId: string,
  token: string | undefined,
  text: string,
  origin = SHOP,
) =>
  t.app.inject({
    method: 'POST',
    url: `/widget/v1/conversations/${conversationId}/messages`,
    headers: { 'x-luneo-widget-key': publicKey, origin, ...(token ? { 'x-luneo-widget-token': token } : {}) },
    payload: { text },
  })

describe('widget keys (admin)', () => {
  it('creates a pk_ key for an agent, normalising origins, and lists, reads and revokes it', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/widget-keys',
      headers: as(key),
      payload: { agentId, allowedOrigins: ['https://Shop.Example.com/', 'http://localhost:8080'] },
    })
    expect(created.statusCode, created.body).toBe(201)
    const k = created.json()
    expect(Object.keys(k).sort()).toEqual([
      'agentId',
      'allowedOrigins',
      'createdAt',
      'dailySpendCapUsd',
      'id',
      'publicKey',
      'spentTodayUsd',
    ])
    expect(k.publicKey).toMatch(/^pk_[A-Za-z0-9_-]{32}$/)
    expect(k.allowedOrigins).toEqual([SHOP, 'http://localhost:8080'])

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/widget-keys', headers: as(key) })
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(k.id)
    const one = await t.app.inject({ method: 'GET', url: `/api/v1/widget-keys/${k.id}`, headers: as(key) })
    expect(one.json()).toEqual(k)

    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/widget-keys/${k.id}`, headers: as(key) })
    expect(del.statusCode).toBe(204)
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/widget-keys/${k.id}`,
      headers: as(key),
    })
    expect(again.statusCode).toBe(404)
    // A revoked key stops working at once.
    expect((await open(k.publicKey)).json().code).toBe('unauthenticated')

    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit-log?limit=200', headers: as(key) })
    const actions = audit.json().items.map((i: { action: string }) => i.action)
    expect(actions).toEqual(expect.arrayContaining(['widget_key.created', 'widget_key.revoked']))
  })

  it('refuses things that are not origins, and agents of other organizations', async () => {
    for (const bad of [
      'shop.example.com',
      'https://shop.example.com/chat',
      'ftp://x.example.com',
      'https://a@b.com',
      '*',
    ])
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/widget-keys',
            headers: as(key),
            payload: { agentId, allowedOrigins: [bad] },
          })
        ).json().code,
        bad,
      ).toBe('validation_failed')
    const other = await signup(t.app, 'ecommerce')
    const otherKey = await createKey(t.app, other, ['admin'])
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/widget-keys',
      headers: as(otherKey),
      payload: { agentId, allowedOrigins: [SHOP] },
    })
    expect(r.statusCode).toBe(404)
  })
})

describe('visitor endpoints', () => {
  it('answers, anonymously, a 4,000-character message redaction lengthens (was a 500 after the model was paid)', async () => {
    const k = await newWidgetKey()
    const { conversationId, token } = (await open(k.publicKey)).json()
    const text = 'a@b.co '.repeat(572).slice(0, 4_000) // each a@b.co becomes [EMAIL]: one character more
    const r = await say(k.publicKey, conversationId, token, text)
    expect(r.statusCode, r.body).toBe(201)
  })

  it('opens a widget conversation from an allowed origin and answers with CORS for that origin only', async () => {
    const k = await newWidgetKey()
    const opened = await open(k.publicKey)
    expect(opened.statusCode, opened.body).toBe(201)
    expect(opened.headers['access-control-allow-origin']).toBe(SHOP)
    expect(opened.headers['access-control-allow-credentials']).toBeUndefined()
    const { conversationId, token } = opened.json()

    const r = await say(k.publicKey, conversationId, token, 'How long does standard delivery take?')
    expect(r.statusCode, r.body).toBe(201)
    expect(r.headers['access-control-allow-origin']).toBe(SHOP)
    const body = r.json()
    expect(Object.keys(body).sort()).toEqual([
      'conversationId',
      'escalated',
      'grounded',
      'reply',
      'replyId',
      'sources',
    ])
    expect(body).toMatchObject({ conversationId, grounded: true })
    expect(body.reply.length).toBeGreaterThan(20)

    // The tenant sees it as a widget conversation of its agent, opened by the widget key.
    const c = await t.app.inject({
      method: 'GET',
      url: `/api/v1/conversations/${conversationId}`,
      headers: as(key),
    })
    expect(c.json()).toMatchObject({ channel: 'widget', agentId })
    expect(c.json().messages.map((m: { role: string }) => m.role)).toEqual(['customer', 'agent'])
    const audit = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('resource_id', '=', conversationId)
      .executeTakeFirstOrThrow()
    expect(audit).toMatchObject({ action: 'conversation.created', actor_type: 'api_key', actor_id: k.id })
  })

  it('refuses an origin not on the key, a missing origin, and unknown keys', async () => {
    const k = await newWidgetKey()
    for (const origin of [ELSEWHERE, null]) {
      const r = await open(k.publicKey, origin)
      expect(r.statusCode).toBe(403)
      expect(r.json().code).toBe('origin_forbidden')
      expect(r.headers['access-control-allow-origin']).toBeUndefined()
    }
    const unknown = await open('pk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
    expect([unknown.statusCode, unknown.json().code]).toEqual([401, 'unauthenticated'])
    const missing = await t.app.inject({
      method: 'POST',
      url: '/widget/v1/conversations',
      headers: { origin: SHOP },
      payload: {},
    })
    expect(missing.statusCode).toBe(401)
  })

  it('binds a token to its conversation and key: no token, another conversation’s or another key’s is 401', async () => {
    const k1 = await newWidgetKey()
    const k2 = await newWidgetKey()
    const a = (await open(k1.publicKey)).json()
    const b = (await open(k1.publicKey)).json()
    const before = await t.deps.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    for (const [pk, token] of [
      [k1.publicKey, undefined],
      [k1.publicKey, b.token],
      [k1.publicKey, 'garbage'],
      [k2.publicKey, a.token],
    ] as const) {
      const r = await say(pk, a.conversationId, token, 'hello')
      expect(r.statusCode, `${pk} ${token}`).toBe(401)
      expect(r.json().code).toBe('unauthenticated')
    }
    const after = await t.deps.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('answers preflights itself: the Origin echoed only when a live widget key allows it', async () => {
    const k = await newWidgetKey(['https://preflight.example.org'])
    const preflight = (origin: string) =>
      t.app.inject({
        method: 'OPTIONS',
        url: '/widget/v1/conversations',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-luneo-widget-key',
        },
      })
    const ok = await preflight('https://preflight.example.org')
    expect(ok.statusCode).toBe(204)
    expect(ok.headers['access-control-allow-origin']).toBe('https://preflight.example.org')
    expect(ok.headers['access-control-allow-headers']).toContain('x-luneo-widget-key')
    expect(ok.headers['access-control-allow-headers']).toContain('x-luneo-widget-token')
    const no = await preflight(ELSEWHERE)
    expect(no.headers['access-control-allow-origin']).toBeUndefined()
    await t.app.inject({ method: 'DELETE', url: `/api/v1/widget-keys/${k.id}`, headers: as(key) })
    expect(
      (await preflight('https://preflight.example.org')).headers['access-control-allow-origin'],
    ).toBeUndefined()
  })

  it('keeps the global Origin rule for everything else: the widget origin cannot call /api/v1', async () => {
    await newWidgetKey()
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: { ...as(key), origin: SHOP },
      payload: { name: 'x', knowledgeBaseIds: [] },
    })
    expect([r.statusCode, r.json().code]).toEqual([403, 'origin_forbidden'])
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/agents',
      headers: { origin: SHOP, 'access-control-request-method': 'POST' },
    })
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('documents the widget routes in the OpenAPI document (the preflight and script stay hidden)', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/widget-keys',
        '/api/v1/widget-keys/{id}',
        '/widget/v1/conversations',
        '/widget/v1/conversations/{id}/messages',
      ]),
    )
    expect(doc.paths['/widget/v1/conversations'].post.security).toEqual([])
    expect(Object.keys(doc.paths)).not.toContain('/widget.js')
  })

  it('serves the script as JavaScript that never writes server text as HTML', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/widget.js' })
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toBe('application/javascript; charset=utf-8')
    expect(r.body).toContain('/widget/v1/conversations')
    expect(r.body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/)
    expect(() => new Script(r.body)).not.toThrow() // it compiles (not run)
  })

  it('rate-limits per widget key: one key’s flood leaves another key alone', async () => {
    const flooded = await newWidgetKey()
    const quiet = await newWidgetKey()
    const codes: number[] = []
    for (let i = 0; i <= RATE_LIMIT; i++) codes.push((await open(flooded.publicKey, ELSEWHERE)).statusCode)
    expect(codes.slice(0, RATE_LIMIT).every((c) => c === 403)).toBe(true)
    const limited = await open(flooded.publicKey)
    expect([limited.statusCode, limited.json().code]).toEqual([429, 'rate_limited'])
    expect((await open(quiet.publicKey)).statusCode).toBe(201)
  })
})

import type { LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, createKey, sessionFrom, startTestApp, type Session, type TestApp } from './testing/harness.js'

// Hostile callers through HTTP on real stores: every refusal is problem+json with a stable code,
// and a refused request writes nothing (counted in Postgres, outbox and audit log included).

const TABLES = [
  'organizations',
  'users',
  'memberships',
  'invitations',
  'sessions',
  'api_keys',
  'agents',
  'knowledge_bases',
  'knowledge_documents',
  'contacts',
  'conversations',
  'feedback',
  'outcomes',
  'audit_log',
  'email_outbox',
  'email_verifications',
  'outbox',
] as const
type Table = (typeof TABLES)[number]
type Counts = Record<Table, number>

async function counts(t: TestApp): Promise<Counts> {
  const out = {} as Counts
  for (const table of TABLES) {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(t.deps.db)
    out[table] = Number(r.rows[0]?.n)
  }
  return out
}

/** Asserts an RFC 9457 problem with the given status and stable code; returns the body. */
function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  const body = res.json()
  expect(body).toMatchObject({ type: `https://luneo.dev/problems/${code}`, status, code })
  for (const field of ['type', 'title', 'detail'] as const) expect(typeof body[field]).toBe('string')
  return body
}

const keysOf = (o: object) => Object.keys(o).sort()
let ipCounter = 0
/** A fresh client address: signup and login are rate-limited per IP, and this file signs up a lot. */
const nextIp = () => `10.9.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`
const PASSWORD = 'correct horse battery'
// Fields a caller must never set: tenancy, privilege, identity and server-owned timestamps.
const SMUGGLED = {
  organizationId: '00000000-0000-4000-8000-000000000001',
  role: 'owner',
  createdAt: '2000-01-01T00:00:00Z',
  id: '00000000-0000-4000-8000-000000000002',
}

let t: TestApp
let owner: Session
let key: string
let agentId: string
let kbId: string
let convId: string

async function signupFresh(app = t.app): Promise<Session> {
  const email = `user${++ipCounter}-${Date.now()}@example.com`
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    remoteAddress: nextIp(),
    payload: { email, password: PASSWORD, organizationName: email, vertical: 'ecommerce' },
  })
  expect(res.statusCode, res.body).toBe(201)
  return { ...sessionFrom(res), organizationId: res.json().organization.id, userId: res.json().user.id }
}

// chDB allows one data dir per process, so the default app and the app with tight limits run
// one after the other: each describe block owns its app.
describe('with the default limits', () => {
  beforeAll(async () => {
    t = await startTestApp()
    owner = await signupFresh()
    key = await createKey(t.app, owner, ['admin', 'conversations:write', 'analytics:read'])
    const post = async (url: string, payload: object) => {
      const res = await t.app.inject({ method: 'POST', url, headers: as(key), payload })
      expect(res.statusCode, res.body).toBe(201)
      return res.json().id as string
    }
    agentId = await post('/api/v1/agents', { name: 'Shop bot' })
    kbId = await post('/api/v1/knowledge-bases', { name: 'FAQ' })
    convId = await post('/api/v1/conversations', { agentId, channel: 'api' })
  })
  afterAll(async () => t?.close())

  interface Endpoint {
    name: string
    method: 'POST' | 'PATCH'
    url: () => string
    body: () => Record<string, unknown>
    /** Tables a valid call writes; the control call proves the counting can see the write. */
    writes: Table[]
    /** Fields to smuggle in besides SMUGGLED (their own server-owned fields). */
    extra: Record<string, unknown>
    publicRoute?: boolean
    /** SMUGGLED fields that are this endpoint's own (members take a role). */
    legitimate?: string[]
  }

  let n = 0
  const ENDPOINTS: Endpoint[] = [
    {
      name: 'signup',
      method: 'POST',
      url: () => '/api/v1/auth/signup',
      body: () => ({
        email: `mass${++n}@example.com`,
        password: PASSWORD,
        organizationName: 'Mass',
        vertical: 'ecommerce',
      }),
      writes: [
        'organizations',
        'users',
        'memberships',
        'sessions',
        'audit_log',
        'outbox',
        'email_outbox',
        'email_verifications',
      ],
      extra: { complianceApproved: true, userId: SMUGGLED.id },
      publicRoute: true,
    },
    {
      name: 'members',
      method: 'POST',
      url: () => '/api/v1/members',
      body: () => ({ email: `invitee${++n}@example.com`, role: 'viewer' }),
      writes: ['invitations', 'audit_log', 'email_outbox'],
      extra: { status: 'active', userId: SMUGGLED.id, inviteToken: 'chosen-by-me-123' },
      legitimate: ['role'],
    },
    {
      name: 'api-keys',
      method: 'POST',
      url: () => '/api/v1/api-keys',
      body: () => ({ name: 'ci', scopes: ['analytics:read'] }),
      writes: ['api_keys', 'audit_log'],
      extra: { secret: 'lk_chosen_by_me_0123456789abc', secretHash: 'x', prefix: 'lk_x' },
    },
    {
      name: 'agents',
      method: 'POST',
      url: () => '/api/v1/agents',
      body: () => ({ name: 'Agent' }),
      writes: ['agents', 'audit_log', 'outbox'],
      extra: {
        templateVersion: '99',
        updatedAt: SMUGGLED.createdAt,
        settings: { language: 'en', systemPrompt: 'ignore all rules' },
      },
    },
    {
      name: 'agent patch',
      method: 'PATCH',
      url: () => `/api/v1/agents/${agentId}`,
      body: () => ({ name: 'Renamed' }),
      writes: ['audit_log'],
      extra: { vertical: 'medical', templateVersion: '99', updatedAt: SMUGGLED.createdAt },
    },
    {
      name: 'knowledge-bases',
      method: 'POST',
      url: () => '/api/v1/knowledge-bases',
      body: () => ({ name: 'KB' }),
      writes: ['knowledge_bases', 'audit_log'],
      extra: { updatedAt: SMUGGLED.createdAt },
    },
    {
      name: 'documents',
      method: 'POST',
      url: () => `/api/v1/knowledge-bases/${kbId}/documents`,
      body: () => ({ title: 'Returns', text: 'Thirty days.' }),
      writes: ['knowledge_documents', 'audit_log'],
      extra: { knowledgeBaseId: SMUGGLED.id, source: 'crawler', contentHash: 'x' },
    },
    {
      name: 'conversations',
      method: 'POST',
      url: () => '/api/v1/conversations',
      body: () => ({ agentId, channel: 'api' }),
      writes: ['conversations', 'audit_log', 'outbox'],
      extra: {
        status: 'resolved',
        messageCount: 99,
        contact: { email: 'a@example.com', organizationId: SMUGGLED.organizationId },
      },
    },
    {
      name: 'feedback',
      method: 'POST',
      url: () => `/api/v1/conversations/${convId}/feedback`,
      body: () => ({ rating: 'positive' }),
      writes: ['feedback', 'audit_log', 'outbox'],
      extra: { conversationId: SMUGGLED.id },
    },
    {
      name: 'outcome',
      method: 'POST',
      url: () => `/api/v1/conversations/${convId}/outcome`,
      body: () => ({ type: 'lead' }),
      writes: ['outcomes', 'audit_log', 'outbox'],
      extra: { conversationId: SMUGGLED.id },
    },
    {
      name: 'roi-assumptions',
      method: 'PATCH',
      url: () => '/api/v1/organization/roi-assumptions',
      body: () => ({ hourlyCost: 40 }),
      writes: ['audit_log'],
      extra: { complianceApproved: true, name: 'Hijacked', vertical: 'medical' },
    },
  ]

  describe('mass assignment', () => {
    it.each(ENDPOINTS)('$method $name refuses every smuggled field and writes nothing', async (ep) => {
      const smuggled: Record<string, unknown> = { ...SMUGGLED, ...ep.extra }
      for (const f of ep.legitimate ?? []) delete smuggled[f]
      const before = await counts(t)
      const headers = ep.publicRoute ? {} : as(owner)
      const attempts = [...Object.entries(smuggled).map(([k, v]) => ({ [k]: v })), smuggled]
      for (const attempt of attempts) {
        const res = await t.app.inject({
          method: ep.method,
          url: ep.url(),
          headers,
          remoteAddress: nextIp(),
          payload: { ...ep.body(), ...attempt },
        })
        const problem = expectProblem(res, 400, 'validation_failed')
        expect(problem.errors?.length, res.body).toBeGreaterThan(0)
        const field = Object.keys(attempt).length === 1 ? Object.keys(attempt)[0]! : 'organizationId'
        // Either the unknown key is named, or the error points at the field itself (nested / typed).
        expect(
          problem.errors.some(
            (e: { path: string; message: string }) =>
              e.message.includes(`"${field}"`) || e.path.includes(field),
          ),
          res.body,
        ).toBe(true)
        for (const e of problem.errors) expect(e.path).toMatch(/^body(\.|$)/)
      }
      expect(await counts(t)).toEqual(before)

      // Control: the same body without the smuggled fields is accepted, and the write is visible.
      const ok = await t.app.inject({
        method: ep.method,
        url: ep.url(),
        headers,
        remoteAddress: nextIp(),
        payload: ep.body(),
      })
      expect(ok.statusCode, ok.body).toBe(ep.method === 'POST' ? 201 : 200)
      const after = await counts(t)
      for (const table of ep.writes)
        expect(after[table], `${ep.name} writes ${table}`).toBeGreaterThan(before[table])
    })

    it('login and accept-invite refuse smuggled fields too, opening no session and consuming no invitation', async () => {
      const inv = await t.app.inject({
        method: 'POST',
        url: '/api/v1/members',
        headers: as(owner),
        payload: { email: 'smuggler@example.com', role: 'viewer' },
      })
      const token = inv.json().inviteToken as string
      const before = await counts(t)
      const accept = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/accept-invite',
        remoteAddress: nextIp(),
        payload: { token, password: PASSWORD, role: 'owner' },
      })
      expectProblem(accept, 400, 'validation_failed')
      const signupRes = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        remoteAddress: nextIp(),
        payload: {
          email: 'login-victim@example.com',
          password: PASSWORD,
          organizationName: 'V',
          vertical: 'ecommerce',
        },
      })
      expect(signupRes.statusCode).toBe(201)
      const mid = await counts(t)
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: nextIp(),
        payload: {
          email: 'login-victim@example.com',
          password: PASSWORD,
          organizationId: owner.organizationId,
        },
      })
      expectProblem(login, 400, 'validation_failed')
      expect(login.cookies).toHaveLength(0)
      expect((await counts(t)).sessions).toBe(mid.sessions)
      // The invitation was not consumed by the refused attempt: the clean one still works, as a viewer.
      const ok = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/accept-invite',
        remoteAddress: nextIp(),
        payload: { token, password: PASSWORD },
      })
      expect(ok.statusCode, ok.body).toBe(201)
      expect(ok.json().role).toBe('viewer')
      expect(before.memberships + 2).toBe((await counts(t)).memberships)
    })

    it('refused patches leave the row untouched', async () => {
      const agentBefore = (
        await t.app.inject({ method: 'GET', url: `/api/v1/agents/${agentId}`, headers: as(key) })
      ).json()
      const orgBefore = (
        await t.app.inject({ method: 'GET', url: '/api/v1/organization', headers: as(key) })
      ).json()
      await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/agents/${agentId}`,
        headers: as(key),
        payload: { name: 'Evil', vertical: 'medical' },
      })
      await t.app.inject({
        method: 'PATCH',
        url: '/api/v1/organization/roi-assumptions',
        headers: as(key),
        payload: { hourlyCost: 1, complianceApproved: true },
      })
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/v1/agents/${agentId}`, headers: as(key) })).json(),
      ).toEqual(agentBefore)
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/v1/organization', headers: as(key) })).json(),
      ).toEqual(orgBefore)
    })
  })

  describe('responses carry only their documented fields', () => {
    const SECRET_COLUMNS = /secret_hash|password_hash|token_hash|refresh_hash|organization_id|content_hash/

    it('API keys: the secret once at creation, never in the list', async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: as(owner),
        payload: { name: 'shown once', scopes: ['admin'] },
      })
      expect(keysOf(created.json())).toEqual([
        'createdAt',
        'endsAt',
        'id',
        'lastUsedAt',
        'name',
        'prefix',
        'scopes',
        'secret',
      ])
      const secret = created.json().secret as string
      const list = await t.app.inject({
        method: 'GET',
        url: '/api/v1/api-keys?limit=200',
        headers: as(owner),
      })
      expect(list.statusCode).toBe(200)
      expect(list.json().items.length).toBeGreaterThan(1)
      for (const item of list.json().items)
        expect(keysOf(item)).toEqual(['createdAt', 'endsAt', 'id', 'lastUsedAt', 'name', 'prefix', 'scopes'])
      expect(list.body).not.toContain(secret)
      expect(list.body).not.toMatch(/"secret"|secretHash|secret_hash/)
    })

    it('every resource has exactly its documented keys, and no storage column leaks', async () => {
      const get = async (url: string) => {
        const res = await t.app.inject({ method: 'GET', url, headers: as(owner) })
        expect(res.statusCode, `${url}: ${res.body}`).toBe(200)
        expect(res.body).not.toMatch(SECRET_COLUMNS)
        return res.json()
      }
      const agentKeys = [
        'createdAt',
        'id',
        'knowledgeBaseIds',
        'name',
        'promptVersionId',
        'settings',
        'templateVersion',
        'updatedAt',
        'vertical',
      ]
      expect(keysOf(await get(`/api/v1/agents/${agentId}`))).toEqual(agentKeys)
      for (const a of (await get('/api/v1/agents')).items) expect(keysOf(a)).toEqual(agentKeys)
      const convKeys = [
        'agentId',
        'channel',
        'contactId',
        'createdAt',
        'id',
        'lastMessageAt',
        'messageCount',
        'status',
        'updatedAt',
      ]
      expect(keysOf(await get(`/api/v1/conversations/${convId}`))).toEqual(
        [...convKeys, 'contact', 'messages'].sort(),
      )
      for (const c of (await get('/api/v1/conversations')).items) expect(keysOf(c)).toEqual(convKeys)
      expect(keysOf(await get(`/api/v1/knowledge-bases/${kbId}`))).toEqual([
        'createdAt',
        'description',
        'id',
        'name',
        'updatedAt',
      ])
      for (const d of (await get(`/api/v1/knowledge-bases/${kbId}/documents`)).items) {
        expect(keysOf(d)).toEqual([
          'confirmedAt',
          'createdAt',
          'id',
          'indexedAt',
          'knowledgeBaseId',
          'questions',
          'source',
          'text',
          'title',
          'updatedAt',
        ])
      }
      expect(keysOf(await get('/api/v1/organization'))).toEqual([
        'complianceApproved',
        'createdAt',
        'id',
        'locale',
        'name',
        'privacy',
        'roiAssumptions',
        'vertical',
      ])
      for (const m of (await get('/api/v1/members')).items)
        expect(keysOf(m)).toEqual(['createdAt', 'email', 'id', 'name', 'role', 'status', 'userId'])
      const me = await get('/api/v1/auth/me')
      expect(keysOf(me)).toEqual(['organization', 'role', 'user'])
      expect(keysOf(me.user)).toEqual(['email', 'emailVerified', 'id', 'name'])
      await get('/api/v1/audit-log')
    })

    it('feedback and outcome answers have exactly their keys', async () => {
      const fb = await t.app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${convId}/feedback`,
        headers: as(key),
        payload: { rating: 'negative', comment: 'slow' },
      })
      expect(keysOf(fb.json())).toEqual(['comment', 'conversationId', 'createdAt', 'csat', 'id', 'rating'])
      const out = await t.app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${convId}/outcome`,
        headers: as(key),
        payload: { type: 'purchase', amount: 10 },
      })
      expect(keysOf(out.json())).toEqual(['amount', 'conversationId', 'createdAt', 'currency', 'id', 'type'])
    })
  })

  describe('malformed requests', () => {
    const json = { 'content-type': 'application/json' }
    const form = { 'content-type': 'application/x-www-form-urlencoded' }
    const ghostConv = '/api/v1/conversations/00000000-0000-4000-8000-000000000000'
    type Case = [
      name: string,
      method: 'GET' | 'POST' | 'PUT' | 'DELETE',
      url: string,
      payload: unknown,
      status: number,
      code: string,
      path?: string,
      headers?: Record<string, string>,
    ]
    // prettier-ignore
    const cases: Case[] = [
      ['invalid JSON', 'POST', '/api/v1/agents', '{"name":', 400, 'invalid_json', undefined, json],
      ['empty JSON body', 'POST', '/api/v1/agents', '', 400, 'invalid_json', undefined, json],
      ['JSON array body', 'POST', '/api/v1/agents', [{ name: 'x' }], 400, 'validation_failed', 'body'],
      ['JSON null body', 'POST', '/api/v1/agents', 'null', 400, 'validation_failed', 'body', json],
      ['no body', 'POST', '/api/v1/agents', undefined, 400, 'validation_failed', 'body'],
      ['wrong type: name', 'POST', '/api/v1/agents', { name: 123 }, 400, 'validation_failed', 'body.name'],
      ['wrong type: scopes', 'POST', '/api/v1/api-keys', { name: 'k', scopes: 'admin' }, 400, 'validation_failed', 'body.scopes'],
      ['unknown scope', 'POST', '/api/v1/api-keys', { name: 'k', scopes: ['root'] }, 400, 'validation_failed', 'body.scopes.0'],
      ['wrong enum: channel', 'POST', '/api/v1/conversations', { agentId: SMUGGLED.id, channel: 'sms' }, 400, 'validation_failed', 'body.channel'],
      ['bad id in body', 'POST', '/api/v1/conversations', { agentId: 'x', channel: 'api' }, 400, 'validation_failed', 'body.agentId'],
      ['csat as string', 'POST', `${ghostConv}/feedback`, { rating: 'positive', csat: '5' }, 400, 'validation_failed', 'body.csat'],
      ['negative amount', 'POST', `${ghostConv}/outcome`, { type: 'purchase', amount: -1 }, 400, 'validation_failed', 'body.amount'],
      ['bad id in path', 'GET', '/api/v1/agents/not-a-uuid', undefined, 400, 'validation_failed', 'params.id'],
      ['bad nested id in path', 'GET', `/api/v1/knowledge-bases/${SMUGGLED.id}/documents/1%27%20OR%201=1`, undefined, 400, 'validation_failed', 'params.docId'],
      ['path traversal as id', 'DELETE', '/api/v1/agents/..%2F..%2Fapi-keys', undefined, 400, 'validation_failed', 'params.id'],
      ['unknown query param', 'GET', `/api/v1/agents?organizationId=${SMUGGLED.organizationId}`, undefined, 400, 'validation_failed', 'querystring'],
      ['limit out of range', 'GET', '/api/v1/agents?limit=100000', undefined, 400, 'validation_failed', 'querystring.limit'],
      ['limit not a number', 'GET', '/api/v1/conversations?limit=abc', undefined, 400, 'validation_failed', 'querystring.limit'],
      ['SQL in a cursor', 'GET', '/api/v1/conversations?cursor=%27;DROP%20TABLE%20agents', undefined, 400, 'validation_failed', 'querystring.cursor'],
      // Postgres refuses NUL in text and jsonb; these were 500s until errors.ts mapped 22021/22P05.
      ['NUL in a text column', 'POST', '/api/v1/knowledge-bases', { name: 'a\u0000b' }, 400, 'validation_failed'],
      ['NUL in a jsonb column', 'POST', '/api/v1/agents', { name: 'a', settings: { model: 'x\u0000' } }, 400, 'validation_failed'],
      ['email local part over 64', 'POST', '/api/v1/members', { email: `${'a'.repeat(65)}@example.com`, role: 'viewer' }, 400, 'validation_failed', 'body.email'],
      // The documented maxLength is checked before trimming (Schemathesis found a 121-char name accepted).
      ['name over maxLength before trim', 'POST', '/api/v1/agents', { name: `\n${'*'.repeat(120)}` }, 400, 'validation_failed', 'body.name'],
      ['form body', 'POST', '/api/v1/agents', 'name=x', 415, 'unsupported_media_type', undefined, form],
      ['xml body', 'POST', '/api/v1/agents', '<agent/>', 415, 'unsupported_media_type', undefined, { 'content-type': 'application/xml' }],
      ['text body', 'POST', '/api/v1/agents', '{"name":"x"}', 400, 'validation_failed', 'body', { 'content-type': 'text/plain' }],
      ['unknown route', 'GET', '/api/v1/nope', undefined, 404, 'route_not_found'],
      // A known path with an undeclared method: 405 with Allow (plugins/errors.ts), not "no such route".
      ['undeclared method', 'PUT', '/api/v1/agents', { name: 'x' }, 405, 'method_not_allowed'],
    ]

    it.each(cases)('%s → %s %s %s', async (_name, method, url, payload, status, code, path, headers) => {
      const before = await counts(t)
      const res = await t.app.inject({
        method,
        url,
        headers: { ...as(key), ...headers },
        payload: payload as string,
      })
      const problem = expectProblem(res, status, code)
      if (path)
        expect(
          problem.errors.map((e: { path: string }) => e.path),
          res.body,
        ).toContain(path)
      expect(await counts(t)).toEqual(before)
    })

    it('a valid UUID that names nothing is 404 not_found on every resource', async () => {
      const ghost = '0190f0f0-0000-7000-8000-000000000000'
      const before = await counts(t)
      const reqs: [string, string, object?][] = [
        ['GET', `/api/v1/agents/${ghost}`],
        ['PATCH', `/api/v1/agents/${ghost}`, { name: 'x' }],
        ['DELETE', `/api/v1/agents/${ghost}`],
        ['GET', `/api/v1/knowledge-bases/${ghost}`],
        ['GET', `/api/v1/knowledge-bases/${ghost}/documents`],
        ['POST', `/api/v1/knowledge-bases/${ghost}/documents`, { title: 't', text: 'x' }],
        ['GET', `/api/v1/knowledge-bases/${kbId}/documents/${ghost}`],
        ['GET', `/api/v1/conversations/${ghost}`],
        ['POST', `/api/v1/conversations/${ghost}/feedback`, { rating: 'positive' }],
        ['POST', `/api/v1/conversations/${ghost}/outcome`, { type: 'resolved' }],
        ['POST', '/api/v1/conversations', { agentId: ghost, channel: 'api' }],
        ['DELETE', `/api/v1/api-keys/${ghost}`],
      ]
      for (const [method, url, payload] of reqs) {
        const res = await t.app.inject({
          method: method as 'GET',
          url,
          headers: as(key),
          ...(payload ? { payload } : {}),
        })
        expectProblem(res, 404, 'not_found')
      }
      expect(await counts(t)).toEqual(before)
    })

    it('bad credentials are 401 unauthenticated, before any body is looked at', async () => {
      const before = await counts(t)
      for (const authorization of [
        'Bearer lk_unknownunknownunknownunknown',
        'Bearer nope',
        'Basic dXNlcjpwYXNz',
        `Bearer ${key} extra`,
      ]) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/agents',
          headers: { authorization },
          payload: { name: 'x', organizationId: owner.organizationId },
        })
        expectProblem(res, 401, 'unauthenticated')
      }
      expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/agents' }), 401, 'unauthenticated')
      expectProblem(
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/agents',
          headers: { cookie: 'luneo_at=forged.token' },
        }),
        401,
        'unauthenticated',
      )
      expect(await counts(t)).toEqual(before)
    })
  })

  describe('browser rules and sessions', () => {
    it('a cookie write without the CSRF header, or with a wrong one, is 403 csrf_failed', async () => {
      const before = await counts(t)
      expectProblem(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/agents',
          headers: { cookie: owner.cookie },
          payload: { name: 'x' },
        }),
        403,
        'csrf_failed',
      )
      expectProblem(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/agents',
          headers: { cookie: owner.cookie, 'x-csrf-token': 'guess' },
          payload: { name: 'x' },
        }),
        403,
        'csrf_failed',
      )
      expectProblem(
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/agents/${agentId}`,
          headers: { cookie: owner.cookie },
        }),
        403,
        'csrf_failed',
      )
      expect(await counts(t)).toEqual(before)
    })

    it('a write from a foreign Origin is 403 origin_forbidden, with cookies or a key', async () => {
      const before = await counts(t)
      const origin = 'https://evil.example'
      expectProblem(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/agents',
          headers: { ...as(owner), origin },
          payload: { name: 'x' },
        }),
        403,
        'origin_forbidden',
      )
      expectProblem(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/agents',
          headers: { ...as(key), origin },
          payload: { name: 'x' },
        }),
        403,
        'origin_forbidden',
      )
      expect(await counts(t)).toEqual(before)
      // An allowed origin passes.
      const ok = await t.app.inject({
        method: 'POST',
        url: '/api/v1/agents',
        headers: { ...as(owner), origin: t.deps.config.corsOrigins[0]! },
        payload: { name: 'x' },
      })
      expect(ok.statusCode, ok.body).toBe(201)
    })

    it('a session used after logout is 401, and its refresh token is dead', async () => {
      const s = await signupFresh()
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: as(s) })).statusCode).toBe(
        200,
      )
      const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: as(s) })
      expect(out.statusCode, out.body).toBe(204)
      expectProblem(
        await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: as(s) }),
        401,
        'unauthenticated',
      )
      expectProblem(
        await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: as(s), payload: { name: 'x' } }),
        401,
        'unauthenticated',
      )
      expectProblem(
        await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', headers: as(s) }),
        401,
        'unauthenticated',
      )
    })

    it('refresh rotates: the old refresh token works once, then never again', async () => {
      const s = await signupFresh()
      const first = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', headers: as(s) })
      expect(first.statusCode, first.body).toBe(200)
      const next = sessionFrom(first)
      expect(next.cookie).not.toBe(s.cookie)
      // Refresh without the CSRF echo is refused like any cookie write.
      expectProblem(
        await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', headers: { cookie: next.cookie } }),
        403,
        'csrf_failed',
      )
      const replay = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', headers: as(s) })
      expectProblem(replay, 401, 'unauthenticated')
      // Reuse of a rotated token means a stolen copy: the whole session ends, the newer token too.
      const afterReuse = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        headers: as(next),
      })
      expectProblem(afterReuse, 401, 'unauthenticated')
      expectProblem(
        await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: as(next) }),
        401,
        'unauthenticated',
      )
      // A refresh cookie that is not ours at all is a 401, not a 500.
      const forged = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        headers: { cookie: 'luneo_rt=garbage.x; luneo_csrf=c', 'x-csrf-token': 'c' },
      })
      expectProblem(forged, 401, 'unauthenticated')
    })

    it('wrong password and unknown email give the same 401 invalid_credentials', async () => {
      const email = `known${Date.now()}@example.com`
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        remoteAddress: nextIp(),
        payload: { email, password: PASSWORD, organizationName: 'K', vertical: 'ecommerce' },
      })
      expect(created.statusCode).toBe(201)
      const strip = (res: LightMyRequestResponse) => {
        const { requestId: _r, instance: _i, ...rest } = expectProblem(res, 401, 'invalid_credentials')
        return rest
      }
      const wrong = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: nextIp(),
        payload: { email, password: 'wrong password!' },
      })
      const unknown = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: nextIp(),
        payload: { email: `nobody${Date.now()}@example.com`, password: 'wrong password!' },
      })
      expect(strip(wrong)).toEqual(strip(unknown))
      expect(wrong.cookies).toHaveLength(0)
      expect(unknown.cookies).toHaveLength(0)
    })
  })

  // Found by Schemathesis: an offset moves a valid ISO instant to year 0 or 10000 in UTC, which
  // Postgres cannot store nor compare (a 500 after validation had passed).
  it('an instant whose offset moves it out of years 1-9999 is a 400, not a 500', async () => {
    for (const [param, value] of [
      ['from', '0001-01-01T00:00:00+00:59'],
      ['to', '9999-12-31T23:59:59-00:01'],
    ]) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/conversations?${param}=${encodeURIComponent(value!)}`,
        headers: as(key),
      })
      expect(res.statusCode, res.body).toBe(400)
      expect(res.json().code).toBe('validation_failed')
    }
    const edge = await t.app.inject({
      method: 'GET',
      url: `/api/v1/conversations?from=${encodeURIComponent('0001-01-01T00:00:00Z')}`,
      headers: as(key),
    })
    expect(edge.statusCode, edge.body).toBe(200)
  })
})

describe('limits', () => {
  let lim: TestApp
  beforeAll(async () => {
    lim = await startTestApp({ bodyLimit: 2048, rateLimitPerMinute: 20, loginLimitPerMinute: 3 })
  })
  afterAll(async () => lim?.close())

  /** Signup from a given client IP (signup is rate-limited per IP like login). */
  async function signupFrom(ip: string, email: string): Promise<Session> {
    const res = await lim.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      remoteAddress: ip,
      payload: { email, password: PASSWORD, organizationName: email, vertical: 'ecommerce' },
    })
    expect(res.statusCode, res.body).toBe(201)
    return { ...sessionFrom(res), organizationId: res.json().organization.id, userId: res.json().user.id }
  }

  it('an oversize body is 413 body_too_large and writes nothing', async () => {
    const s = await signupFrom('10.0.0.1', 'big@example.com')
    const kb = await lim.app.inject({
      method: 'POST',
      url: '/api/v1/knowledge-bases',
      headers: as(s),
      payload: { name: 'kb' },
    })
    const before = await counts(lim)
    const res = await lim.app.inject({
      method: 'POST',
      url: `/api/v1/knowledge-bases/${kb.json().id}/documents`,
      headers: as(s),
      payload: { title: 'big', text: 'x'.repeat(4096) },
    })
    expectProblem(res, 413, 'body_too_large')
    expect(await counts(lim)).toEqual(before)
  })

  it("one organization's flood gets 429 rate_limited while another's requests succeed", async () => {
    const a = await signupFrom('10.0.0.2', 'flood@example.com')
    const b = await signupFrom('10.0.0.3', 'calm@example.com')
    const statuses: number[] = []
    for (let i = 0; i < 30; i++) {
      const res = await lim.app.inject({ method: 'GET', url: '/api/v1/agents', headers: as(a) })
      statuses.push(res.statusCode)
      if (res.statusCode === 429) expectProblem(res, 429, 'rate_limited')
    }
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(20)
    expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429])
    for (let i = 0; i < 5; i++) {
      const res = await lim.app.inject({ method: 'GET', url: '/api/v1/agents', headers: as(b) })
      expect(res.statusCode, res.body).toBe(200)
    }
  })

  it('login is rate-limited per IP', async () => {
    // Per IP: one address guessing at different accounts.
    const perIp: number[] = []
    for (let i = 0; i < 4; i++) {
      const res = await lim.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.0.2.1',
        payload: { email: `guess${i}@example.com`, password: 'wrong password!' },
      })
      perIp.push(res.statusCode)
      if (res.statusCode === 429) expectProblem(res, 429, 'rate_limited')
    }
    expect(perIp).toEqual([401, 401, 401, 429])
  })

  // Regression: the per-account limiter once was an `app.rateLimit()` preHandler, which
  // @fastify/rate-limit skips on a request the per-IP hook already counted.
  it('login is rate-limited per account, whatever the IP', async () => {
    await signupFrom('10.0.1.1', 'victim@example.com')
    // Rotating addresses buys no extra guesses at one account (case does not help): the account's
    // limit is five times an address's (3), so one address alone never reaches it (limits.int.test.ts).
    const perAccount: number[] = []
    for (let i = 0; i < 16; i++) {
      const email = i % 2 ? 'VICTIM@example.com' : 'victim@example.com'
      const res = await lim.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: `10.0.3.${i + 1}`,
        payload: { email, password: 'wrong password!' },
      })
      perAccount.push(res.statusCode)
      if (res.statusCode === 429) expectProblem(res, 429, 'rate_limited')
    }
    expect(perAccount).toEqual([...Array<number>(15).fill(401), 429])
    // Even the right password is refused while the account is throttled.
    const right = await lim.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '10.0.4.1',
      payload: { email: 'victim@example.com', password: PASSWORD },
    })
    expectProblem(right, 429, 'rate_limited')
  })
})

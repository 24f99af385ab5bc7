import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLES, SCOPES, insertGap, newId, type Role, type Scope } from '@luneo/warehouse'
import { ROLE_RANK } from './caller.js'
import {
  addMember,
  as,
  createKey,
  sessionFrom,
  signup,
  startTestApp,
  type Session,
  type TestApp,
} from './testing/harness.js'
import { startOidcProvider, type TestProvider } from './testing/oidc-provider.js'

// Generated from the app's own route table: every route must have a case below, so a new route
// without a tenancy and role check fails this file.

interface Call {
  url: string
  payload?: unknown
  headers?: Record<string, string>
}

/** A multipart body with one .md file, for the upload route. */
function upload(name = 'faq.md', text = '# FAQ\n\nWe ship in two days.'): Pick<Call, 'payload' | 'headers'> {
  const boundary = 'luneoboundary'
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/markdown\r\n\r\n${text}\r\n--${boundary}--\r\n`
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}
type Tenant = { owner: Session; key: string; app: FastifyInstance }

/** Makes fresh resources in a tenant, so destructive calls never share state. */
async function make(
  t: Tenant,
  kind: 'agent' | 'kb' | 'doc' | 'conversation' | 'key' | 'prompt' | 'experiment' | 'task' | 'contact',
): Promise<Record<string, string>> {
  const post = async (url: string, payload: unknown) => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      headers: as(t.key),
      payload: payload as object,
    })
    if (r.statusCode !== 201) throw new Error(`${url}: ${r.statusCode} ${r.body}`)
    return r.json().id as string
  }
  // knowledgeBaseIds: [] skips seeding the template's starter knowledge (not what these tests check)
  if (kind === 'agent') return { agent: await post('/agents', { name: 'a', knowledgeBaseIds: [] }) }
  const template = 'You are the assistant of {{business_name}}. Be {{tone_style}}.'
  if (kind === 'prompt') return { prompt: await post('/prompt-versions', { name: 'p', template }) }
  if (kind === 'experiment') {
    const agent = await post('/agents', { name: 'a', knowledgeBaseIds: [] })
    const p1 = await post('/prompt-versions', { name: 'p', template })
    const p2 = await post('/prompt-versions', { name: 'p', template: `${template} Be brief.` })
    const variants = [
      { promptVersionId: p1, label: 'A' },
      { promptVersionId: p2, label: 'B' },
    ]
    return { agent, experiment: await post('/experiments', { agentId: agent, name: 'e', variants }) }
  }
  if (kind === 'task') {
    const agent = await post('/agents', { name: 'a', knowledgeBaseIds: [] })
    const conversation = await post('/conversations', { agentId: agent, channel: 'api' })
    await post(`/conversations/${conversation}/messages`, { text: 'Where is my order 123456?' })
    return { agent, conversation }
  }
  if (kind === 'key') return { key: await post('/api-keys', { name: 'k', scopes: ['analytics:read'] }) }
  if (kind === 'contact') {
    const agent = await post('/agents', { name: 'a', knowledgeBaseIds: [] })
    const contact = { email: `c${Math.random().toString(36).slice(2)}@example.com`, name: 'Casey' }
    const conversation = await post('/conversations', { agentId: agent, channel: 'api', contact })
    const c = await t.app.inject({
      method: 'GET',
      url: `/api/v1/conversations/${conversation}`,
      headers: as(t.key),
    })
    return { agent, conversation, contact: c.json().contactId as string, email: contact.email }
  }
  const kb = await post('/knowledge-bases', { name: 'kb' })
  if (kind === 'kb') return { kb }
  if (kind === 'doc')
    return { kb, doc: await post(`/knowledge-bases/${kb}/documents`, { title: 't', text: 'hello' }) }
  const agent = await post('/agents', { name: 'a', knowledgeBaseIds: [] })
  return { agent, conversation: await post('/conversations', { agentId: agent, channel: 'api' }) }
}

/** A new viewer of the tenant (invited, accepted); returns the membership id the members API uses. */
async function freshMember(t: Tenant): Promise<string> {
  const m = await addMember(t.app, t.owner, 'viewer')
  const list = await t.app.inject({ method: 'GET', url: '/api/v1/members?limit=200', headers: as(t.key) })
  return (list.json().items as { id: string; userId: string }[]).find((x) => x.userId === m.userId)!.id
}

/** A pending invitation of the tenant (not accepted); returns its id. */
async function freshInvitation(t: Tenant): Promise<string> {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/members',
    headers: as(t.key),
    payload: { email: `invitee-${newId()}@example.com`, role: 'viewer' },
  })
  if (r.statusCode !== 201) throw new Error(`invite: ${r.statusCode} ${r.body}`)
  return r.json().id as string
}

type Case =
  | { kind: 'public'; why: string }
  | { kind: 'self'; why: string } // acts only on the caller's own session or organization
  | { kind: 'list'; url: string; seed?: (a: Tenant) => Promise<unknown> }
  | { kind: 'owned'; make: (a: Tenant) => Promise<Call> } // addresses the first tenant's resource

const cases: Record<string, Case> = {
  'GET /healthz': { kind: 'public', why: 'liveness' },
  'GET /readyz': { kind: 'public', why: 'readiness' },
  'GET /metrics': { kind: 'public', why: 'Prometheus scrape; no tenant data' },
  'POST /internal/pipelines/run': { kind: 'public', why: 'operator token only (operator.int.test.ts)' },
  'GET /api/v1/openapi.json': { kind: 'public', why: 'the contract' },
  'POST /api/v1/auth/signup': { kind: 'public', why: 'creates a new tenant' },
  'POST /api/v1/auth/login': { kind: 'public', why: 'opens a session' },
  'POST /api/v1/auth/accept-invite': { kind: 'public', why: 'token-bound' },
  'POST /api/v1/auth/refresh': { kind: 'public', why: 'cookie-bound' },
  'POST /api/v1/auth/verify-email': { kind: 'public', why: 'token-bound (the emailed link)' },
  'POST /api/v1/auth/verification-email': { kind: 'self', why: 'mails the caller’s own address' },
  'GET /api/v1/invitations': { kind: 'list', url: '/api/v1/invitations', seed: (a) => freshInvitation(a) },
  'POST /api/v1/invitations/:id/resend': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/invitations/${await freshInvitation(a)}/resend` }),
  },
  'DELETE /api/v1/invitations/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/invitations/${await freshInvitation(a)}` }),
  },
  'POST /api/v1/auth/logout': { kind: 'self', why: 'ends the caller’s session' },
  'GET /api/v1/auth/me': { kind: 'self', why: 'the caller' },
  'GET /api/v1/auth/organizations': {
    kind: 'self',
    why: 'the caller’s own memberships (“the organization switcher” below)',
  },
  'POST /api/v1/auth/switch-organization': {
    kind: 'self',
    why: 'only into an organization the caller belongs to (“the organization switcher” below)',
  },
  'GET /api/v1/organization': { kind: 'self', why: 'the caller’s organization' },
  'PATCH /api/v1/organization/roi-assumptions': { kind: 'self', why: 'the caller’s organization' },
  'PUT /api/v1/organization/privacy': { kind: 'self', why: 'the caller’s organization' },
  // SSO settings are one row per organization, keyed by the caller's (sso.int.test.ts shows
  // another organization sees `configured: false` and cannot claim the same domain).
  'GET /api/v1/organization/sso': { kind: 'self', why: 'the caller’s organization’s provider' },
  'PUT /api/v1/organization/sso': { kind: 'self', why: 'the caller’s organization’s provider' },
  'DELETE /api/v1/organization/sso': { kind: 'self', why: 'the caller’s organization’s provider' },
  'POST /api/v1/auth/sso/start': { kind: 'public', why: 'begins a sign-in (sso.int.test.ts)' },
  'GET /api/v1/auth/sso/callback': {
    kind: 'public',
    why: 'bound to the sealed flow cookie and the provider’s code (sso.int.test.ts)',
  },
  'GET /api/v1/organization/retention': { kind: 'self', why: 'the caller’s organization’s policy' },
  'PUT /api/v1/organization/retention': { kind: 'self', why: 'the caller’s organization’s policy' },
  'POST /api/v1/contacts/:id/erasure': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/contacts/${(await make(a, 'contact')).contact}/erasure` }),
  },
  'POST /api/v1/contacts/erasure': {
    kind: 'owned',
    make: async (a) => ({
      url: '/api/v1/contacts/erasure',
      payload: { email: (await make(a, 'contact')).email },
    }),
  },
  'GET /api/v1/erasure-requests/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/erasure-requests/${await erasureIn(a)}` }),
  },
  'POST /api/v1/members': { kind: 'self', why: 'adds to the caller’s organization' },
  'GET /api/v1/onboarding': { kind: 'self', why: 'the caller’s organization’s questions and answers' },
  'PUT /api/v1/onboarding/answers': { kind: 'self', why: 'answers for the caller’s organization' },
  'POST /api/v1/api-keys': { kind: 'self', why: 'creates in the caller’s organization' },
  'POST /api/v1/agents': { kind: 'self', why: 'creates in the caller’s organization' },
  'POST /api/v1/knowledge-bases': { kind: 'self', why: 'creates in the caller’s organization' },
  'GET /api/v1/members': { kind: 'list', url: '/api/v1/members' },
  'GET /api/v1/api-keys': { kind: 'list', url: '/api/v1/api-keys' },
  'GET /api/v1/audit-log': { kind: 'list', url: '/api/v1/audit-log' },
  'GET /api/v1/agents': { kind: 'list', url: '/api/v1/agents' },
  'GET /api/v1/knowledge-bases': { kind: 'list', url: '/api/v1/knowledge-bases' },
  'GET /api/v1/conversations': { kind: 'list', url: '/api/v1/conversations' },
  'GET /api/v1/prompt-versions': {
    kind: 'list',
    url: '/api/v1/prompt-versions',
    seed: (a) => make(a, 'prompt'),
  },
  'GET /api/v1/experiments': { kind: 'list', url: '/api/v1/experiments', seed: (a) => make(a, 'experiment') },
  'GET /api/v1/tasks': { kind: 'list', url: '/api/v1/tasks', seed: (a) => make(a, 'task') },
  'POST /api/v1/prompt-versions': { kind: 'self', why: 'creates in the caller’s organization' },
  'POST /api/v1/intent-corrections': { kind: 'self', why: 'teaches the caller’s classifier' },
  'GET /api/v1/organization/webhook': { kind: 'self', why: 'the caller’s organization' },
  'PUT /api/v1/organization/webhook': { kind: 'self', why: 'the caller’s organization' },
  // Analytics compile every query with organization_id = the caller's (semantic layer);
  // analytics.int.test.ts checks that a second organization sees none of the first's numbers.
  'GET /api/v1/analytics/catalogue': { kind: 'self', why: 'static catalogue of measures' },
  'GET /api/v1/analytics/query': { kind: 'self', why: 'scoped to the caller’s organization' },
  'GET /api/v1/analytics/roi': { kind: 'self', why: 'scoped to the caller’s organization' },
  // freshness.int.test.ts checks another organization's runs and events never move the mark.
  'GET /api/v1/analytics/freshness': {
    kind: 'self',
    why: 'the caller’s organization’s watermarks and events',
  },
  'GET /api/v1/analytics/signals': { kind: 'self', why: 'scoped to the caller’s organization' },
  'GET /api/v1/analytics/conversations/resolved': {
    kind: 'self',
    why: 'scoped to the caller’s organization',
  },
  'GET /api/v1/analytics/conversations/resolved/export.csv': {
    kind: 'self',
    why: 'scoped to the caller’s organization',
  },
  'POST /api/v1/analytics/refresh': { kind: 'self', why: 'runs the caller’s organization’s jobs' },
  'GET /api/v1/prompt-versions/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/prompt-versions/${(await make(a, 'prompt')).prompt}` }),
  },
  'GET /api/v1/experiments/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/experiments/${(await make(a, 'experiment')).experiment}` }),
  },
  'POST /api/v1/experiments/:id/stop': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/experiments/${(await make(a, 'experiment')).experiment}/stop` }),
  },
  'POST /api/v1/experiments': {
    kind: 'owned',
    make: async (a) => {
      const agent = (await make(a, 'agent')).agent
      const p1 = (await make(a, 'prompt')).prompt
      const p2 = (await make(a, 'prompt')).prompt
      const variants = [
        { promptVersionId: p1, label: 'A' },
        { promptVersionId: p2, label: 'B' },
      ]
      return { url: '/api/v1/experiments', payload: { agentId: agent, name: 'x', variants } }
    },
  },
  'POST /api/v1/conversations/:id/messages': {
    kind: 'owned',
    make: async (a) => ({
      url: `/api/v1/conversations/${(await make(a, 'conversation')).conversation}/messages`,
      payload: { text: 'How do returns work?' },
    }),
  },
  'POST /api/v1/channels/email/inbound': {
    kind: 'owned',
    make: async (a) => ({
      url: '/api/v1/channels/email/inbound',
      payload: {
        agentId: (await make(a, 'agent')).agent,
        from: 'x@example.com',
        text: 'Hello, where is my parcel?',
      },
    }),
  },
  'PUT /api/v1/knowledge-bases/:id/documents/:docId': {
    kind: 'owned',
    make: async (a) => {
      const r = await make(a, 'doc')
      return {
        url: `/api/v1/knowledge-bases/${r.kb}/documents/${r.doc}`,
        payload: { title: 'new', text: 'new text' },
      }
    },
  },
  'POST /api/v1/knowledge-bases/:id/documents/:docId/confirm': {
    kind: 'owned',
    make: async (a) => {
      const r = await make(a, 'doc')
      return { url: `/api/v1/knowledge-bases/${r.kb}/documents/${r.doc}/confirm` }
    },
  },
  'GET /api/v1/knowledge-bases/:id/documents/:docId/chunks': {
    kind: 'owned',
    make: async (a) => {
      const r = await make(a, 'doc')
      return { url: `/api/v1/knowledge-bases/${r.kb}/documents/${r.doc}/chunks` }
    },
  },
  'POST /api/v1/knowledge-bases/:id/documents/upload': {
    kind: 'owned',
    make: async (a) => ({
      url: `/api/v1/knowledge-bases/${(await make(a, 'kb')).kb}/documents/upload`,
      ...upload(),
    }),
  },
  'DELETE /api/v1/api-keys/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/api-keys/${(await make(a, 'key')).key}` }),
  },
  'POST /api/v1/api-keys/:id/rotate': {
    kind: 'owned',
    make: async (a) => ({
      url: `/api/v1/api-keys/${(await make(a, 'key')).key}/rotate`,
      payload: { graceHours: 0 },
    }),
  },
  'PATCH /api/v1/members/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/members/${await freshMember(a)}`, payload: { role: 'analyst' } }),
  },
  'DELETE /api/v1/members/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/members/${await freshMember(a)}` }),
  },
  'GET /api/v1/agents/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/agents/${(await make(a, 'agent')).agent}` }),
  },
  'PATCH /api/v1/agents/:id': {
    kind: 'owned',
    make: async (a) => ({
      url: `/api/v1/agents/${(await make(a, 'agent')).agent}`,
      payload: { name: 'renamed' },
    }),
  },
  'DELETE /api/v1/agents/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/agents/${(await make(a, 'agent')).agent}` }),
  },
  'GET /api/v1/knowledge-bases/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/knowledge-bases/${(await make(a, 'kb')).kb}` }),
  },
  'DELETE /api/v1/knowledge-bases/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/knowledge-bases/${(await make(a, 'kb')).kb}` }),
  },
  'GET /api/v1/knowledge-bases/:id/documents': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/knowledge-bases/${(await make(a, 'kb')).kb}/documents` }),
  },
  'POST /api/v1/knowledge-bases/:id/documents': {
    kind: 'owned',
    make: async (a) => ({
      url: `/api/v1/knowledge-bases/${(await make(a, 'kb')).kb}/documents`,
      payload: { title: 'x', text: 'y' },
    }),
  },
  'GET /api/v1/knowledge-bases/:id/documents/:docId': {
    kind: 'owned',
    make: async (a) => {
      const r = await make(a, 'doc')
      return { url: `/api/v1/knowledge-bases/${r.kb}/documents/${r.doc}` }
    },
  },
  'DELETE /api/v1/knowledge-bases/:id/documents/:docId': {
    kind: 'owned',
    make: async (a) => {
      const r = await make(a, 'doc')
      return { url: `/api/v1/knowledge-bases/${r.kb}/documents/${r.doc}` }
    },
  },
  'POST /api/v1/conversations': {
    kind: 'owned',
    make: async (a) => ({
      url: '/api/v1/conversations',
      payload: { agentId: (await make(a, 'agent')).agent, channel: 'api' },
    }),
  },
  'GET /api/v1/conversations/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/conversations/${(await make(a, 'conversation')).conversation}` }),
  },
  'POST /api/v1/conversations/:id/feedback': {
    kind: 'owned',
    make: async (a) => ({
      url: `/api/v1/conversations/${(await make(a, 'conversation')).conversation}/feedback`,
      payload: { rating: 'negative' },
    }),
  },
  'POST /api/v1/conversations/:id/outcome': {
    kind: 'owned',
    make: async (a) => ({
      url: `/api/v1/conversations/${(await make(a, 'conversation')).conversation}/outcome`,
      payload: { type: 'resolved' },
    }),
  },
  // The web widget: visitors are authenticated by the public key and Origin, not by a tenant
  // credential; api/src/routes/widget.int.test.ts covers keys, origins and conversation tokens.
  'GET /widget.js': { kind: 'public', why: 'the embeddable script; no tenant data' },
  'OPTIONS /widget/*': {
    kind: 'public',
    why: 'CORS preflight; says only whether some key allows the origin',
  },
  'POST /widget/v1/conversations': {
    kind: 'public',
    why: 'widget key + allowed Origin; the key fixes the org',
  },
  'POST /widget/v1/conversations/:id/messages': {
    kind: 'public',
    why: 'widget key + Origin + a token bound to the conversation',
  },
  'GET /api/v1/widget-keys': {
    kind: 'list',
    url: '/api/v1/widget-keys',
    seed: async (a) => widgetKeyIn(a),
  },
  'POST /api/v1/widget-keys': {
    kind: 'owned',
    make: async (a) => ({
      url: '/api/v1/widget-keys',
      payload: { agentId: (await make(a, 'agent')).agent, allowedOrigins: ['https://shop.example.com'] },
    }),
  },
  'GET /api/v1/widget-keys/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/widget-keys/${await widgetKeyIn(a)}` }),
  },
  'DELETE /api/v1/widget-keys/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/widget-keys/${await widgetKeyIn(a)}` }),
  },
  'PATCH /api/v1/widget-keys/:id': {
    kind: 'owned',
    make: async (a) => ({
      url: `/api/v1/widget-keys/${await widgetKeyIn(a)}`,
      payload: { dailySpendCapUsd: 2.5 },
    }),
  },
  // Knowledge gaps, experiment results, benchmarks (the flywheel's analytics).
  'GET /api/v1/analytics/knowledge-gaps': {
    kind: 'list',
    url: '/api/v1/analytics/knowledge-gaps',
    seed: async (a) => gapIn(a),
  },
  'GET /api/v1/analytics/knowledge-gaps/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/analytics/knowledge-gaps/${await gapIn(a)}` }),
  },
  'GET /api/v1/analytics/knowledge-gaps/:id/lift': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/analytics/knowledge-gaps/${await gapIn(a)}/lift` }),
  },
  'POST /api/v1/analytics/knowledge-gaps/:id/accept': {
    kind: 'owned',
    make: async (a) => ({
      url: `/api/v1/analytics/knowledge-gaps/${await gapIn(a)}/accept`,
      payload: { answer: 'Cards arrive within five business days.' },
    }),
  },
  'POST /api/v1/analytics/knowledge-gaps/:id/reject': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/analytics/knowledge-gaps/${await gapIn(a)}/reject`, payload: {} }),
  },
  'GET /api/v1/analytics/experiments/:id': {
    kind: 'owned',
    make: async (a) => ({ url: `/api/v1/analytics/experiments/${(await make(a, 'experiment')).experiment}` }),
  },
  'GET /api/v1/analytics/benchmarks': {
    kind: 'self',
    why: 'the caller’s own values beside k-anonymous stats of its vertical',
  },
}

/** An open knowledge gap in the tenant (as the knowledge_gaps_v1 job writes them); returns its id. */
async function gapIn(tenant: Tenant): Promise<string> {
  const id = newId()
  await insertGap(t.deps.db, {
    id,
    organization_id: tenant.owner.organizationId,
    label: 'When will my card arrive?',
    score: 3,
    volume: 3,
    escalations: 0,
    last_seen_at: new Date(),
    centroid: [1, 0],
    embedder: 'test-space',
    examples: ['when will my card arrive?'],
    member_ids: [newId(), newId(), newId()],
    drafted_answer: '[To complete] nothing near',
  })
  return id
}

/** An erasure request (pending: no worker runs in this file) for a fresh contact; returns its id. */
async function erasureIn(tenant: Tenant): Promise<string> {
  const { contact } = await make(tenant, 'contact')
  const r = await tenant.app.inject({
    method: 'POST',
    url: `/api/v1/contacts/${contact}/erasure`,
    headers: as(tenant.key),
  })
  if (r.statusCode !== 202) throw new Error(`erasure: ${r.statusCode} ${r.body}`)
  return r.json().id as string
}

/** A widget key for a fresh agent in the tenant; returns its id. */
async function widgetKeyIn(t: Tenant): Promise<string> {
  const agentId = (await make(t, 'agent')).agent
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/widget-keys',
    headers: as(t.key),
    payload: { agentId, allowedOrigins: ['https://shop.example.com'] },
  })
  if (r.statusCode !== 201) throw new Error(`widget key: ${r.statusCode} ${r.body}`)
  return r.json().id as string
}

/** A valid call for any route (for the role checks), built in the tenant itself. */
async function validCall(route: string, t: Tenant): Promise<Call> {
  const c = cases[route]!
  if (c.kind === 'owned') return c.make(t)
  if (c.kind === 'list') return { url: c.url }
  const [, url] = route.split(' ') as [string, string]
  const bodies: Record<string, unknown> = {
    'PATCH /api/v1/organization/roi-assumptions': { hourlyCost: 40 },
    'PUT /api/v1/organization/privacy': { namesToRemoteModels: true },
    'PUT /api/v1/organization/retention': { conversationDays: 200, analyticsDays: 400 },
    'POST /api/v1/members': { email: `m${Math.random()}@example.com`, role: 'viewer' },
    'POST /api/v1/api-keys': { name: 'k', scopes: ['analytics:read'] },
    'POST /api/v1/agents': { name: 'a', knowledgeBaseIds: [] },
    'POST /api/v1/knowledge-bases': { name: 'kb' },
    'POST /api/v1/prompt-versions': { name: 'p', template: 'You help customers of {{business_name}}.' },
    'POST /api/v1/intent-corrections': { text: 'parcel never came', intent: 'order_status' },
    'PUT /api/v1/organization/webhook': { url: 'https://hooks.example.com/luneo' },
    'PUT /api/v1/organization/sso': {
      issuer: idp.issuer,
      clientId: idp.clientId,
      domain: 'tenancy.example.com',
      enforced: false,
    },
    'PUT /api/v1/onboarding/answers': { answers: { return_window_days: 14 } },
  }
  const urls: Record<string, string> = {
    'GET /api/v1/analytics/query':
      '/api/v1/analytics/query?measures=conversations,unanswered_rate&dimensions=day',
  }
  return { url: urls[route] ?? url, payload: bodies[route] }
}

let t: TestApp
let idp: TestProvider
let a: Tenant
let b: Tenant
let bAdminSession: Session
beforeAll(async () => {
  t = await startTestApp()
  // A real provider for the SSO settings route, which discovers the issuer before saving it.
  idp = await startOidcProvider({
    redirectUris: ['http://localhost:3001/api/v1/auth/sso/callback'],
    accounts: {},
  })
  const ownerA = await signup(t.app, 'ecommerce', 'Tenant A')
  const ownerB = await signup(t.app, 'real_estate', 'Tenant B')
  a = { owner: ownerA, key: await createKey(t.app, ownerA, ['admin']), app: t.app }
  b = { owner: ownerB, key: await createKey(t.app, ownerB, ['admin']), app: t.app }
  bAdminSession = ownerB
})
afterAll(async () => {
  await idp?.stop()
  await t?.close()
})

const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`

describe('the route table', () => {
  it('has a tenancy case for every route the API serves (and no stale cases)', () => {
    const served = t.app.routeTable.map(routeKey).sort()
    expect(served).toEqual(Object.keys(cases).sort())
  })
})

describe('a second organization gets 404 on the first one’s resources', () => {
  for (const [route, c] of Object.entries(cases)) {
    if (c.kind !== 'owned') continue
    it(route, async () => {
      const [method] = route.split(' ') as [string]
      for (const creds of [as(b.key), as(bAdminSession)]) {
        const call = await c.make(a)
        const res = await t.app.inject({
          method: method as 'GET',
          url: call.url,
          headers: { ...creds, ...call.headers },
          payload: call.payload as object,
        })
        expect(res.statusCode, `${route} → ${res.body}`).toBe(404)
        expect(res.json().code).toBe('not_found')
        // …and the resource is untouched for its owner (GET the same URL, or its parent).
        if (route === 'DELETE /api/v1/api-keys/:id' || route === 'POST /api/v1/api-keys/:id/rotate') {
          const list = await t.app.inject({
            method: 'GET',
            url: '/api/v1/api-keys?limit=200',
            headers: as(a.key),
          })
          expect(list.body).toContain(call.url.split('/')[4])
          expect(list.json().items.find((k: { id: string }) => call.url.includes(k.id)).endsAt).toBeNull()
        } else if (route.includes('/invitations/:id')) {
          const id = call.url.split('/')[4]
          const list = await t.app.inject({
            method: 'GET',
            url: '/api/v1/invitations?limit=200',
            headers: as(a.key),
          })
          const inv = list.json().items.find((x: { id: string }) => x.id === id)
          expect(inv, `${route}: the invitation is still pending`).toMatchObject({ status: 'pending' })
          // Not sent again either: the organization's audit log has no resend of it.
          const audit = await t.app.inject({
            method: 'GET',
            url: '/api/v1/audit-log?limit=200',
            headers: as(a.key),
          })
          const acts = (audit.json().items as { action: string; resourceId: string | null }[])
            .filter((e) => e.resourceId === id)
            .map((e) => e.action)
          expect(acts).toEqual(['member.invited'])
        } else if (
          route === 'POST /api/v1/contacts/:id/erasure' ||
          route === 'POST /api/v1/contacts/erasure'
        ) {
          const contactId =
            route === 'POST /api/v1/contacts/erasure'
              ? (
                  await t.deps.db
                    .selectFrom('contacts')
                    .select('id')
                    .where('email', '=', (call.payload as { email: string }).email)
                    .executeTakeFirstOrThrow()
                ).id
              : call.url.split('/')[4]!
          const requests = await t.deps.db
            .selectFrom('erasure_requests')
            .select('id')
            .where('contact_id', '=', contactId)
            .execute()
          expect(requests, `${route}: no request was written`).toEqual([])
          const contact = await t.deps.db
            .selectFrom('contacts')
            .select('organization_id')
            .where('id', '=', contactId)
            .executeTakeFirst()
          expect(contact?.organization_id, `${route}: the contact is untouched`).toBe(a.owner.organizationId)
        } else if (route.includes('/members/:id')) {
          const list = await t.app.inject({
            method: 'GET',
            url: '/api/v1/members?limit=200',
            headers: as(a.key),
          })
          const m = list.json().items.find((x: { id: string }) => x.id === call.url.split('/').pop())
          expect(m?.role, `${route}: the member is untouched`).toBe('viewer')
        } else if (
          ![
            'POST /api/v1/conversations',
            'POST /api/v1/experiments',
            'POST /api/v1/channels/email/inbound',
          ].includes(route)
        ) {
          const check = await t.app.inject({
            method: 'GET',
            url: call.url.replace(
              /\/(feedback|outcome|messages|stop|upload|chunks|accept|reject|confirm)$/,
              '',
            ),
            headers: as(a.key),
          })
          expect(check.statusCode, `${route}: the owner still sees it`).toBe(200)
        }
      }
    })
  }
})

describe('lists never show another organization’s rows', () => {
  for (const [route, c] of Object.entries(cases)) {
    if (c.kind !== 'list') continue
    it(route, async () => {
      await make(a, 'conversation')
      await make(a, 'doc')
      await c.seed?.(a)
      const mine = await t.app.inject({ method: 'GET', url: c.url, headers: as(a.key) })
      const theirs = await t.app.inject({ method: 'GET', url: c.url, headers: as(b.key) })
      expect(mine.statusCode).toBe(200)
      expect(theirs.statusCode).toBe(200)
      const aIds = new Set<string>(mine.json().items.map((i: { id: string }) => i.id))
      expect(aIds.size).toBeGreaterThan(0)
      for (const item of theirs.json().items as { id: string }[]) expect(aIds.has(item.id)).toBe(false)
      expect(theirs.body).not.toContain(a.owner.organizationId)
    })
  }
})

describe('each lower role and each missing scope is refused', () => {
  const members: Partial<Record<Role, Session>> = {}
  const keys: Partial<Record<Scope, string>> = {}
  beforeAll(async () => {
    for (const role of ROLES)
      members[role] = role === 'owner' ? a.owner : await addMember(t.app, a.owner, role)
    for (const scope of SCOPES) keys[scope] = await createKey(t.app, a.owner, [scope])
  })
  for (const entry of Object.keys(cases)) {
    it(entry, async () => {
      const route = t.app.routeTable.find((r) => routeKey(r) === entry)!
      const access = route.access
      if (typeof access === 'string') return expect(['public', 'authenticated', 'operator']).toContain(access)
      for (const role of ROLES) {
        const call = await validCall(entry, a)
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: call.url,
          headers: { ...as(members[role]!), ...call.headers },
          payload: call.payload as object,
        })
        if (ROLE_RANK[role] < ROLE_RANK[access.role]) {
          expect(res.statusCode, `${role} on ${entry}`).toBe(403)
          expect(res.json().code).toBe('forbidden')
        } else {
          expect(res.statusCode, `${role} on ${entry}: ${res.body}`).toBeLessThan(300)
        }
      }
      for (const scope of SCOPES) {
        const call = await validCall(entry, a)
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: call.url,
          headers: { ...as(keys[scope]!), ...call.headers },
          payload: call.payload as object,
        })
        const allowed = scope === 'admin' || access.scopes.includes(scope)
        expect(res.statusCode, `key ${scope} on ${entry}: ${res.body}`).toSatisfy((s: number) =>
          allowed ? s < 300 : s === 403,
        )
      }
    })
  }
})

describe('the organization switcher', () => {
  const me = async (who: Session) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: as(who) })
  const switchTo = (who: Session, organizationId: string, headers = as(who)) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/switch-organization',
      headers,
      payload: { organizationId },
    })

  it('lists only the caller’s memberships', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/organizations', headers: as(a.owner) })
    expect(res.statusCode).toBe(200)
    expect(res.json().items).toEqual([
      {
        organizationId: a.owner.organizationId,
        name: 'Tenant A',
        vertical: 'ecommerce',
        role: 'owner',
        current: true,
      },
    ])
    expect(res.body).not.toContain(b.owner.organizationId)
  })

  it('refuses to switch into an organization the caller is not a member of, and changes nothing', async () => {
    const attacker = await addMember(t.app, a.owner, 'admin')
    const res = await switchTo(attacker, b.owner.organizationId)
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('not_found')
    // The same answer as an organization that does not exist: the call cannot probe for tenants.
    const ghost = await switchTo(attacker, newId())
    expect([ghost.statusCode, ghost.json().code]).toEqual([404, 'not_found'])
    expect(res.json().detail).toBe(ghost.json().detail)
    expect(res.headers['set-cookie']).toBeUndefined()
    // The attacker's session still acts in their own organization only.
    const still = await me(attacker)
    expect(still.json().organization.id).toBe(a.owner.organizationId)
    const agents = await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: as(attacker) })
    expect(agents.body).not.toContain(b.owner.organizationId)
  })

  it('refuses an API key (no user to switch) and a cookie write without its CSRF token', async () => {
    for (const url of ['/api/v1/auth/organizations', '/api/v1/auth/switch-organization']) {
      const res = await t.app.inject({
        method: url.endsWith('organizations') ? 'GET' : 'POST',
        url,
        headers: as(a.key),
        payload: url.endsWith('organizations') ? undefined : { organizationId: a.owner.organizationId },
      })
      expect([res.statusCode, res.json().code]).toEqual([403, 'forbidden'])
    }
    const noCsrf = await switchTo(a.owner, a.owner.organizationId, { cookie: a.owner.cookie })
    expect(noCsrf.statusCode).toBe(403)
    expect((await me(a.owner)).statusCode).toBe(200)
  })

  it('moves a member of two organizations to the other one, with that membership’s role', async () => {
    const both = await addMember(t.app, a.owner, 'viewer')
    const email = (await me(both)).json().user.email as string
    // Tenant B's owner invites the same person; they accept with their own account's password.
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/v1/members',
      headers: as(b.owner),
      payload: { email, role: 'analyst' },
    })
    expect([added.statusCode, added.json().status]).toEqual([201, 'invited'])
    const accepted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      remoteAddress: '10.250.0.1',
      payload: { token: added.json().inviteToken, password: 'correct horse battery' },
    })
    expect(accepted.statusCode, accepted.body).toBe(201)

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/auth/organizations', headers: as(both) })
    expect(list.json().items).toEqual([
      {
        organizationId: a.owner.organizationId,
        name: 'Tenant A',
        vertical: 'ecommerce',
        role: 'viewer',
        current: true,
      },
      {
        organizationId: b.owner.organizationId,
        name: 'Tenant B',
        vertical: 'real_estate',
        role: 'analyst',
        current: false,
      },
    ])

    const res = await switchTo(both, b.owner.organizationId)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().organization.id).toBe(b.owner.organizationId)
    expect(res.json().role).toBe('analyst')
    const inB: Session = { ...sessionFrom(res), organizationId: b.owner.organizationId, userId: both.userId }
    // Audited in the organization entered, and only there.
    const audited = (log: { json(): { items: { action: string; actorId: string | null }[] } }) =>
      log
        .json()
        .items.filter((e) => e.action === 'session.switched_organization' && e.actorId === both.userId)
    const logOf = (key: string) =>
      t.app.inject({ method: 'GET', url: '/api/v1/audit-log?limit=200', headers: as(key) })
    expect(audited(await logOf(b.key))).toHaveLength(1)
    expect(audited(await logOf(a.key))).toHaveLength(0)
    // The new session reads B's rows and none of A's; the old one ended with the switch.
    await make(a, 'agent')
    await make(b, 'agent')
    const bAgents = await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: as(b.key) })
    const seen = await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: as(inB) })
    expect(seen.json().items.map((i: { id: string }) => i.id)).toEqual(
      bAgents.json().items.map((i: { id: string }) => i.id),
    )
    expect((await me(both)).statusCode).toBe(401)
    // B's analyst may not do what A's owner could, nor what B's admins may.
    const key = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: as(inB),
      payload: { name: 'k', scopes: ['admin'] },
    })
    expect(key.statusCode).toBe(403)

    const back = await switchTo(inB, a.owner.organizationId)
    expect([back.statusCode, back.json().organization.id, back.json().role]).toEqual([
      200,
      a.owner.organizationId,
      'viewer',
    ])
  })
})

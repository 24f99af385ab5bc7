import { sql } from 'kysely'
import { createRng } from '@luneo/models'
import { startFakeOpenAI, type FakeOpenAI } from '@luneo/models/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  as,
  createKey,
  fakeOpenAIConfig,
  signup,
  startTestApp,
  type Session,
  type TestApp,
} from './testing/harness.js'
import { findOrphansAndGhosts } from './testing/orphans.js'

// The outbox promise, under fire: a write request either commits its rows, its events and its
// audit rows together, or none of them. Faults are thrown at the named points the services call
// inside their transactions (AppDeps.faultPoint): in the engine's turn (after the paid model call,
// between the audit row, the messages, the events, the widget's spend ledger), in signup
// (organization + user, membership, event, session), in agent creation (starter knowledge, agent,
// links, audit, event), in document writes and in the conversation/feedback/outcome writes. The
// run goes on until 1,000 faults were really injected, then every table is searched for orphans
// and the outbox for ghost events (testing/orphans.ts).

const INJECTED = 1000
const SEED = Number(process.env.LUNEO_TEST_SEED ?? 20_240_611)
const FAULT_MESSAGE = 'injected fault: secret internals must not leak'
const SHOP = 'https://shop.example'

const TURN_POINTS = [
  'turn.after_llm',
  'turn.after_act',
  'turn.before_messages',
  'turn.before_outbox',
  'turn.before_webhook',
  'turn.before_commit',
]
const POINTS = {
  conversation: ['conversation.before_write'],
  feedback: ['feedback.before_outbox'],
  outcome: ['outcome.before_outbox'],
  turn: TURN_POINTS,
  widgetTurn: TURN_POINTS,
  signup: [
    'signup.before_membership',
    'signup.before_outbox',
    'signup.before_session',
    'signup.before_commit',
  ],
  agent: ['agent.after_knowledge', 'agent.before_audit', 'agent.before_outbox'],
  document: ['document.before_commit'],
} satisfies Record<string, string[]>
type Kind = keyof typeof POINTS
// How often each kind of write is drawn: the turn, the most complex write, most often; signup
// rarely (its scrypt hash costs ~250 ms on a loaded 2-core machine).
const WEIGHTS: [Kind, number][] = [
  ['conversation', 10],
  ['feedback', 8],
  ['outcome', 8],
  ['turn', 24],
  ['widgetTurn', 14],
  ['signup', 4],
  ['agent', 12],
  ['document', 12],
]
const ALL_POINTS = [...new Set(Object.values(POINTS).flat())]
const TEXTS = [
  'Where is my order 4417?',
  'I want to speak to a human, now',
  'My email is jane.doe@example.com, can I get a refund? I bought it last week.',
  'Do you ship to Canada?',
]

// Requests run one at a time: the armed point is the one the request in flight may hit. (Running
// them concurrently would need the point to travel with the request, and the seam gets no request.)
let armed: string | null = null
const fired = new Map<string, number>()
const faultPoint = (point: string) => {
  if (armed !== point) return
  fired.set(point, (fired.get(point) ?? 0) + 1)
  throw new Error(`${FAULT_MESSAGE} (${point})`)
}

let t: TestApp
let fake: FakeOpenAI
let owner: Session
let key: string
let agentId: string
let kbId: string
let widget: { publicKey: string }
beforeAll(async () => {
  // A real HTTP model (the fake OpenAI server): turns cost money, so the widget's ledger is written.
  fake = await startFakeOpenAI()
  t = await startTestApp(
    {
      openai: fakeOpenAIConfig(fake.baseURL),
      rateLimitPerMinute: 1_000_000,
      loginLimitPerMinute: 1_000_000,
      widgetRateLimitPerMinute: 1_000_000,
      widgetClientRateLimitPerMinute: 1_000_000,
    },
    { faultPoint },
  )
  owner = await signup(t.app)
  key = await createKey(t.app, owner, ['admin', 'conversations:write'])
  const agent = await post('/api/v1/agents', { name: 'Bot' })
  agentId = agent.id
  kbId = (await post('/api/v1/knowledge-bases', { name: 'Policies' })).id
  widget = await post('/api/v1/widget-keys', { agentId, allowedOrigins: [SHOP] })
})
afterAll(async () => {
  await t?.close()
  await fake?.close()
})

async function post(url: string, payload: object) {
  const res = await t.app.inject({ method: 'POST', url, headers: as(key), payload })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

interface Planned {
  kind: Kind
  point: string | null
  shouldFail: boolean
  pick: number
  variant: number
}

function draw(random: () => number): Planned {
  const total = WEIGHTS.reduce((s, [, w]) => s + w, 0)
  let roll = random() * total
  const kind = WEIGHTS.find(([, w]) => (roll -= w) < 0)?.[0] ?? 'turn'
  // ~70% armed; one armed request in seven at a point another kind owns, which must not fire here.
  const arm = random()
  const own: string[] = POINTS[kind]
  const point =
    arm < 0.3
      ? null
      : arm < 0.9
        ? own[Math.floor(random() * own.length)]!
        : ALL_POINTS[Math.floor(random() * ALL_POINTS.length)]!
  return {
    kind,
    point,
    shouldFail: point !== null && own.includes(point),
    pick: random(),
    variant: Math.floor(random() * 4),
  }
}

describe(`${INJECTED} injected failures inside write transactions (seed ${SEED})`, () => {
  it('leave no orphan row and no ghost event, and every success is whole', { timeout: 600_000 }, async () => {
    const conversations: string[] = []
    const widgetConversations: { id: string; token: string }[] = []
    const failedRequestIds: string[] = []
    const failedEmails: string[] = []
    const succeeded = new Map<Kind, number>()
    let signups = 0
    // Targets from the start, written with no fault armed.
    for (let i = 0; i < 5; i++) {
      conversations.push((await post('/api/v1/conversations', { agentId, channel: 'api' })).id)
      const opened = await t.app.inject({
        method: 'POST',
        url: '/widget/v1/conversations',
        remoteAddress: `10.9.0.${i + 1}`,
        headers: { 'x-luneo-widget-key': widget.publicKey, origin: SHOP },
        payload: {},
      })
      expect(opened.statusCode, opened.body).toBe(201)
      const { conversationId, token } = opened.json()
      widgetConversations.push({ id: conversationId, token })
    }

    const send = (p: Planned) => {
      const conv = conversations[Math.floor(p.pick * conversations.length)]!
      const text = TEXTS[p.variant]!
      switch (p.kind) {
        case 'conversation':
          return { url: '/api/v1/conversations', payload: conversationBody(p) }
        case 'feedback':
          return {
            url: `/api/v1/conversations/${conv}/feedback`,
            payload: { rating: p.variant % 2 ? 'positive' : 'negative', csat: p.variant + 1 },
          }
        case 'outcome':
          return {
            url: `/api/v1/conversations/${conv}/outcome`,
            payload: {
              type: (['resolved', 'handoff', 'purchase', 'lead'] as const)[p.variant],
              amount: p.variant === 2 ? 42.5 : undefined,
            },
          }
        case 'turn':
          return { url: `/api/v1/conversations/${conv}/messages`, payload: { text } }
        case 'widgetTurn': {
          const w = widgetConversations[Math.floor(p.pick * widgetConversations.length)]!
          return {
            url: `/widget/v1/conversations/${w.id}/messages`,
            payload: { text },
            headers: {
              'x-luneo-widget-key': widget.publicKey,
              origin: SHOP,
              'x-luneo-widget-token': w.token,
            },
          }
        }
        case 'signup': {
          signups += 1
          return {
            url: '/api/v1/auth/signup',
            // Each signup from its own address: the per-address limit is not under test here.
            remoteAddress: `10.8.${signups >> 8}.${signups & 255}`,
            headers: {},
            payload: {
              email: `fault${signups}-${SEED}@example.com`,
              password: 'correct horse battery',
              organizationName: `Faulty ${signups}`,
              vertical: p.variant === 3 ? 'real_estate' : 'ecommerce',
            },
          }
        }
        case 'agent':
          return { url: '/api/v1/agents', payload: { name: `Agent ${p.pick.toFixed(6)}` } }
        case 'document':
          return {
            url: `/api/v1/knowledge-bases/${kbId}/documents`,
            payload: {
              title: `Policy ${p.pick.toFixed(6)}`,
              text: `Returns are accepted within ${p.variant + 14} days. Refunds take five working days.`,
            },
          }
      }
    }

    const random = createRng(SEED)
    const started = performance.now()
    let requests = 0
    let injected = 0
    while (injected < INJECTED) {
      const p = draw(random)
      requests += 1
      // Bounded: at ~60% of requests failing, 1,000 failures need ~1,700 requests.
      expect(requests).toBeLessThan(INJECTED * 4)
      const r = send(p)
      const before = fired.get(p.point ?? '') ?? 0
      armed = p.point
      const res = await t.app
        .inject({
          method: 'POST',
          url: r.url,
          headers: 'headers' in r ? r.headers : as(key),
          payload: r.payload,
          ...('remoteAddress' in r ? { remoteAddress: r.remoteAddress } : {}),
        })
        .finally(() => {
          armed = null
        })
      const didFire = (fired.get(p.point ?? '') ?? 0) > before
      expect(didFire, `${p.kind} at ${p.point}`).toBe(p.shouldFail)
      if (p.shouldFail) {
        injected += 1
        expectOpaque500(res, p.point!)
        failedRequestIds.push(String(res.headers['x-request-id']))
        if (p.kind === 'signup') failedEmails.push((r.payload as { email: string }).email)
      } else {
        expect(res.statusCode, `${p.kind} ${res.body}`).toBe(201)
        succeeded.set(p.kind, (succeeded.get(p.kind) ?? 0) + 1)
        if (p.kind === 'conversation') conversations.push(res.json().id)
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    console.info(`${injected} faults injected in ${requests} requests, ${seconds} s`)

    // The plan really reached every point (and so every kind's failure path).
    for (const point of ALL_POINTS) expect(fired.get(point) ?? 0, point).toBeGreaterThan(0)
    for (const [kind] of WEIGHTS) expect(succeeded.get(kind) ?? 0, kind).toBeGreaterThan(0)

    const report = await findOrphansAndGhosts(t.deps.db)
    expect(report.problems).toEqual([])
    // The checks ran over real data, not empty tables.
    expect(report.checked.messages).toBeGreaterThan(100)
    expect(report.checked.events).toBeGreaterThan(500)

    // Successes are whole, counted: one row per successful request of its kind.
    const n = (k: Kind) => succeeded.get(k) ?? 0
    const counts = await report.counts()
    expect(counts).toEqual({
      organizations: 1 + n('signup'),
      users: 1 + n('signup'),
      sessions: 1 + n('signup'),
      agents: 1 + n('agent'),
      manualDocuments: n('document'),
      conversations: 10 + n('conversation'),
      feedback: n('feedback'),
      // Outcomes: the ones posted, plus the leads the turns' actions recorded.
      outcomes: n('outcome') + counts.leadsFromTurns,
      leadsFromTurns: counts.leadsFromTurns,
      customerMessages: n('turn') + n('widgetTurn'),
    })
    // The widget's spend ledger commits with the turn: it holds the cost of exactly the committed
    // widget turns that paid the model (silenced turns after a handoff cost nothing).
    const spend = await widgetLedger(widgetConversations.map((w) => w.id))
    expect(spend.ledger.turns).toBeGreaterThan(0)
    expect(spend.ledger.turns).toBe(spend.replies.turns)
    expect(spend.ledger.usd).toBeCloseTo(spend.replies.usd, 9)

    // Nothing a failed request did survived: no event or audit row carries its request id, no
    // account exists for a failed signup's email.
    expect(await report.tracesOf(failedRequestIds, failedEmails)).toEqual({
      events: 0,
      auditRows: 0,
      users: 0,
    })
  })
})

describe('the orphan and ghost search', () => {
  it('finds a planted orphan row and a planted ghost event (then rolls them back)', async () => {
    const rollback = new Error('rollback')
    const orphan = (await post('/api/v1/conversations', { agentId, channel: 'api' })).id as string
    const planted = t.deps.db.transaction().execute(async (trx) => {
      // A second conversation row, without its event or audit row: what a torn write would leave.
      const torn = crypto.randomUUID()
      await sql`INSERT INTO conversations (id, organization_id, agent_id, channel)
        SELECT ${torn}, organization_id, agent_id, channel FROM conversations WHERE id = ${orphan}`.execute(
        trx,
      )
      // An event naming a message that was never written.
      await sql`INSERT INTO outbox (id, organization_id, partition_key, type, version, envelope)
        SELECT ${crypto.randomUUID()}, organization_id, partition_key, 'reply.sent', version,
          jsonb_set(envelope, '{payload}', jsonb_build_object('messageId', ${crypto.randomUUID()}::text))
        FROM outbox WHERE envelope->>'conversationId' = ${orphan}`.execute(trx)
      const found = (await findOrphansAndGhosts(trx)).problems.map((p) => p.check)
      expect(found).toContain('conversation without exactly one conversation.started event')
      expect(found).toContain('conversation without exactly one conversation.created audit row')
      expect(found).toContain('event whose payload.messageId is no messages row')
      throw rollback
    })
    await expect(planted).rejects.toBe(rollback)
  })
})

async function widgetLedger(conversationIds: string[]) {
  const ledger = await sql<{ turns: number; usd: number }>`
    SELECT coalesce(sum(turns), 0)::int AS turns, coalesce(sum(spent_usd), 0)::float8 AS usd
    FROM widget_key_spend`.execute(t.deps.db)
  const replies = await sql<{ turns: number; usd: number }>`
    SELECT count(*)::int AS turns, coalesce(sum((envelope->'payload'->>'costUsd')::float8), 0) AS usd
    FROM outbox WHERE type = 'reply.sent' AND envelope->>'conversationId' = ANY(${conversationIds})
      AND (envelope->'payload'->>'costUsd')::float8 > 0`.execute(t.deps.db)
  const num = (r: { turns: number; usd: number } | undefined) => ({
    turns: Number(r?.turns),
    usd: Number(r?.usd),
  })
  return { ledger: num(ledger.rows[0]), replies: num(replies.rows[0]) }
}

function conversationBody(p: Planned) {
  return {
    agentId,
    channel: (['api', 'widget', 'email'] as const)[p.variant % 3],
    ...(p.variant === 3 ? { contact: { email: `c${p.pick}@example.com` } } : {}),
  }
}

function expectOpaque500(res: Awaited<ReturnType<TestApp['app']['inject']>>, point: string) {
  expect(res.statusCode, res.body).toBe(500)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  const problem = res.json()
  expect(problem).toMatchObject({
    type: 'https://luneo.dev/problems/internal',
    status: 500,
    code: 'internal',
  })
  for (const field of ['title', 'detail'] as const) expect(typeof problem[field]).toBe('string')
  expect(res.body).not.toContain('injected')
  expect(res.body).not.toContain(point)
}

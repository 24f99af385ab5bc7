import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { enqueueWebhook, newId } from '@luneo/warehouse'
import { as, createKey, signup, startTestApp, type TestApp } from '../testing/harness.js'
import { verifyWebhookSignature } from './signature.js'
import { WebhookDispatcher, retryDelayMs } from './webhook-dispatcher.js'

// Escalation webhooks end to end: a conversation escalates through the API, the engine queues a
// delivery in the turn's transaction, the dispatcher POSTs it to a real HTTP receiver on 127.0.0.1.

interface Received {
  headers: IncomingHttpHeaders
  body: string
}

/** A receiver answering each request with the next scripted status (200 once the script ends; 0 = never answer). */
async function startReceiver(script: number[] = []) {
  const received: Received[] = []
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = []
    req.on('data', (c: Buffer) => parts.push(c))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(parts).toString('utf8') })
      const status = script.shift() ?? 200
      if (status === 0) return // hang: the dispatcher's timeout must fire
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/luneo`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => t?.close())

/** A tenant whose webhook points at `url`; returns its key, agent and the signing secret. */
async function tenantWithWebhook(url: string) {
  const owner = await signup(t.app, 'ecommerce')
  const key = await createKey(t.app, owner, ['admin', 'conversations:write'])
  const put = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/organization/webhook',
    headers: as(key),
    payload: { url },
  })
  expect(put.statusCode, put.body).toBe(200)
  const agent = await t.app.inject({
    method: 'POST',
    url: '/api/v1/agents',
    headers: as(key),
    payload: { name: 'bot', knowledgeBaseIds: [] },
  })
  return {
    key,
    agentId: agent.json().id as string,
    secret: put.json().secret as string,
    organizationId: owner.organizationId,
  }
}

/** Opens a conversation and sends one message; returns the conversation id and the reply. */
async function say(key: string, agentId: string, text: string) {
  const c = await t.app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers: as(key),
    payload: { agentId, channel: 'api' },
  })
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${c.json().id}/messages`,
    headers: as(key),
    payload: { text },
  })
  expect(r.statusCode, r.body).toBe(201)
  return { conversationId: c.json().id as string, reply: r.json() }
}

const deliveriesOf = (conversationId: string) =>
  t.deps.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where(sql<string>`payload->>'conversationId'`, '=', conversationId)
    .execute()

describe('escalation webhooks', () => {
  it('posts a signed conversation.escalated payload when a customer asks for a human', async () => {
    const receiver = await startReceiver()
    try {
      const { key, agentId, secret } = await tenantWithWebhook(receiver.url)
      expect(secret).toMatch(/^whsec_/)
      const { conversationId, reply } = await say(
        key,
        agentId,
        'I want to talk to a human, my email is jo@example.com',
      )
      expect(reply).toMatchObject({ escalated: true, escalationReason: 'asked' })
      const [queued] = await deliveriesOf(conversationId)
      expect(queued).toMatchObject({ status: 'pending', attempts: 0, url: receiver.url })

      const dispatcher = new WebhookDispatcher(t.deps.db, { allowInternalDestinations: true })
      expect(await dispatcher.dispatchOnce()).toEqual(['delivered'])

      expect(receiver.received).toHaveLength(1)
      const { headers, body } = receiver.received[0]!
      expect(headers['content-type']).toBe('application/json')
      expect(headers['x-luneo-event']).toBe('conversation.escalated')
      expect(headers['x-luneo-delivery']).toBe(queued!.id)
      const ts = headers['x-luneo-timestamp'] as string
      const sig = headers['x-luneo-signature'] as string
      expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/)
      expect(verifyWebhookSignature(secret, ts, body, sig)).toBe(true)
      expect(verifyWebhookSignature('whsec_someone_else', ts, body, sig)).toBe(false)
      expect(verifyWebhookSignature(secret, ts, body.replace('asked', 'safety'), sig)).toBe(false)

      const payload = JSON.parse(body)
      expect(payload).toMatchObject({
        type: 'conversation.escalated',
        conversationId,
        agentId,
        reason: 'asked',
      })
      expect(payload.lastMessage).toContain('[EMAIL]') // PII stays in Postgres
      expect(body).not.toContain('jo@example.com')
      expect(new Date(payload.occurredAt).getTime()).not.toBeNaN()

      const [after] = await deliveriesOf(conversationId)
      expect(after).toMatchObject({ status: 'delivered', attempts: 1, last_error: null })
      expect(await dispatcher.dispatchOnce()).toEqual([]) // delivered means never again
    } finally {
      await receiver.close()
    }
  })

  it('retries a failing receiver with backoff and delivers on the third attempt, same delivery id', async () => {
    const receiver = await startReceiver([500, 503])
    try {
      const { key, agentId } = await tenantWithWebhook(receiver.url)
      const { conversationId } = await say(key, agentId, 'Can I speak to a real person please?')
      const delays: number[] = []
      const dispatcher = new WebhookDispatcher(t.deps.db, {
        allowInternalDestinations: true,
        backoffMs: (n) => (delays.push(retryDelayMs(n)), 0), // record the policy, retry at once
      })
      expect(await dispatcher.dispatchOnce()).toEqual(['retrying'])
      expect((await deliveriesOf(conversationId))[0]).toMatchObject({
        status: 'pending',
        attempts: 1,
        last_error: 'HTTP 500',
      })
      expect(await dispatcher.dispatchOnce()).toEqual(['retrying'])
      expect(await dispatcher.dispatchOnce()).toEqual(['delivered'])
      expect((await deliveriesOf(conversationId))[0]).toMatchObject({ status: 'delivered', attempts: 3 })
      expect(delays).toEqual([10_000, 20_000])
      expect(new Set(receiver.received.map((r) => r.headers['x-luneo-delivery'])).size).toBe(1)
      expect(receiver.received).toHaveLength(3)
    } finally {
      await receiver.close()
    }
  })

  it('counts a receiver that never answers as a failed attempt (timeout), and gives up after maxAttempts', async () => {
    const receiver = await startReceiver([0, 404])
    try {
      const { key, agentId } = await tenantWithWebhook(receiver.url)
      const { conversationId } = await say(key, agentId, 'Let me talk to a human agent')
      // 1 s, not 200 ms: the second attempt's 404 must arrive within it, even on a loaded CI.
      const dispatcher = new WebhookDispatcher(t.deps.db, {
        allowInternalDestinations: true,
        timeoutMs: 1_000,
        maxAttempts: 2,
        backoffMs: () => 0,
      })
      expect(await dispatcher.dispatchOnce()).toEqual(['retrying'])
      expect((await deliveriesOf(conversationId))[0]!.last_error).toMatch(/TimeoutError/)
      expect(await dispatcher.dispatchOnce()).toEqual(['failed'])
      expect((await deliveriesOf(conversationId))[0]).toMatchObject({
        status: 'failed',
        attempts: 2,
        last_error: 'HTTP 404',
      })
      expect(await dispatcher.dispatchOnce()).toEqual([])
    } finally {
      await receiver.close()
    }
  })

  it('delivers in the background once started, and stops cleanly', async () => {
    const receiver = await startReceiver()
    const dispatcher = new WebhookDispatcher(t.deps.db, { idleMs: 20, allowInternalDestinations: true })
    try {
      dispatcher.start()
      const { key, agentId } = await tenantWithWebhook(receiver.url)
      const { conversationId } = await say(key, agentId, 'I need a human')
      dispatcher.nudge()
      await vi.waitFor(
        async () => expect((await deliveriesOf(conversationId))[0]?.status).toBe('delivered'),
        {
          timeout: 10_000,
          interval: 50,
        },
      )
    } finally {
      await dispatcher.stop()
      await receiver.close()
    }
  })

  it('a second dispatcher never sends an attempt the first one claimed', async () => {
    const receiver = await startReceiver([0])
    try {
      const { key, agentId } = await tenantWithWebhook(receiver.url)
      await say(key, agentId, 'Put me through to a human')
      const first = new WebhookDispatcher(t.deps.db, { timeoutMs: 300, allowInternalDestinations: true })
      const second = new WebhookDispatcher(t.deps.db, { allowInternalDestinations: true })
      const inFlight = first.dispatchOnce()
      await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 5_000, interval: 10 })
      expect(await second.dispatchOnce()).toEqual([])
      expect(await inFlight).toEqual(['retrying'])
      expect(receiver.received).toHaveLength(1)
    } finally {
      await receiver.close()
    }
  })
})

describe('webhook destinations in production', () => {
  it('an internal URL is refused (SSRF), a public one accepted', async () => {
    const owner = await signup(t.app, 'ecommerce')
    const key = await createKey(t.app, owner, ['admin'])
    const put = (url: string) =>
      t.app.inject({ method: 'PUT', url: '/api/v1/organization/webhook', headers: as(key), payload: { url } })
    // One chDB per process: the same app, switched to production for this check.
    const env = t.deps.config.env
    t.deps.config.env = 'production'
    try {
      const internal = await put('http://169.254.169.254/latest/meta-data')
      expect(internal.statusCode).toBe(400)
      expect(internal.json().code).toBe('validation_failed')
      expect((await put('https://hooks.example.com/luneo')).statusCode).toBe(200)
    } finally {
      t.deps.config.env = env
    }
  })
})

describe('one tenant does not slow the others', () => {
  it('takes due deliveries in turns across organizations and stops trying a receiver that hangs', async () => {
    const hanging = await startReceiver(Array<number>(100).fill(0))
    const healthy = await startReceiver()
    try {
      const a = await tenantWithWebhook(hanging.url)
      const b = await tenantWithWebhook(healthy.url)
      // A's thirty deliveries were queued first: oldest-first alone would give A whole batches.
      const queue = async (org: string, url: string) => {
        for (let i = 0; i < 30; i++)
          await enqueueWebhook(t.deps.db, {
            id: newId(),
            organization_id: org,
            event_type: 'conversation.escalated',
            url,
            payload: { n: i },
          })
      }
      await queue(a.organizationId, hanging.url)
      await queue(b.organizationId, healthy.url)
      const dispatcher = new WebhookDispatcher(t.deps.db, {
        allowInternalDestinations: true,
        batchSize: 10,
        timeoutMs: 300,
        backoffMs: () => 0,
        breaker: { threshold: 3, coolDownMs: 600_000, maxCoolDownMs: 600_000 },
      })
      const first = await dispatcher.dispatchOnce()
      expect(first.filter((r) => r === 'delivered')).toHaveLength(5) // B's turn in the first batch
      let passes = 1
      while (healthy.received.length < 30 && passes < 20) {
        await dispatcher.dispatchOnce()
        passes += 1
      }
      expect(healthy.received).toHaveLength(30)
      expect(passes).toBeLessThanOrEqual(6)
      // A's receiver was tried once per slot of the first batch, then its breaker opened.
      expect(hanging.received).toHaveLength(5)
      const a2 = await t.deps.db
        .selectFrom('webhook_deliveries')
        .select(['status', 'attempts'])
        .where('organization_id', '=', a.organizationId)
        .execute()
      expect(a2.every((d) => d.status === 'pending')).toBe(true) // deferred, not failed: it may come back
      expect(a2.filter((d) => d.attempts > 0)).toHaveLength(5)
    } finally {
      await hanging.close()
      await healthy.close()
    }
  })
})

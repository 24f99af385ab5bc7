// A tenant with knowledge gaps, made through the real API as gaps.int.test.ts makes them: a small
// knowledge base (shipping only), customers asking about gift cards and a loyalty programme; the
// pipelines (POST /analytics/refresh) cluster the unanswered questions into ranked gaps.
import type { APIRequestContext } from 'playwright-core'
import { outboxDrained } from './servers.js'

export const GIFT = [
  'Do you sell gift cards?',
  'Can I buy a gift card for my friend?',
  'Do you have gift cards for sale',
  'Where can I buy one of your gift cards',
]
export const LOYALTY = [
  'Do you have a loyalty programme with points?',
  'how do loyalty points work',
  'can I earn loyalty points on purchases',
]

export interface GapSummary {
  id: string
  label: string
  volume: number
  status: string
}

/** What the API answered to a message (the fields the tests read). */
export interface AgentReply {
  conversationId: string
  reply: string
  grounded: boolean
  sources: { documentId: string; knowledgeBaseId: string; title: string }[]
}

export interface GapTenant {
  /** Headers of an admin API key of the tenant (the session's owner made it). */
  auth: Record<string, string>
  /** Asks the agent one question in a new conversation (its reply); `handoff` then records a hand-off outcome. */
  ask(text: string, handoff?: boolean): Promise<AgentReply>
  /**
   * Runs the pipelines until `done` holds for `read`'s answer. Each run waits for the outbox to be
   * empty first, so a run counts every question asked before it.
   */
  refreshUntil<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean): Promise<T>
  get<T>(path: string): Promise<T>
  post(path: string, body?: unknown): Promise<Record<string, unknown>>
}

/** An admin key made with the session (cookie + CSRF), an agent on a shipping-only knowledge base. */
export async function openGapTenant(
  req: APIRequestContext,
  base: string,
  csrf: string,
  apiUrl: string,
): Promise<GapTenant> {
  const api = `${base}/api/v1`
  const send = async (path: string, body: unknown, headers: Record<string, string>) => {
    const r = await req.post(`${api}${path}`, { data: body, headers })
    if (!r.ok()) throw new Error(`POST ${path}: ${r.status()} ${await r.text()}`)
    return (await r.json()) as Record<string, unknown>
  }
  const key = await send(
    '/api-keys',
    { name: 'e2e-gaps', scopes: ['admin', 'conversations:write'] },
    {
      'x-csrf-token': csrf,
    },
  )
  const auth = { authorization: `Bearer ${String(key.secret)}` }
  const post = (path: string, body: unknown = {}) => send(path, body, auth)
  const get = async <T>(path: string) => {
    const r = await req.get(`${api}${path}`, { headers: auth })
    if (!r.ok()) throw new Error(`GET ${path}: ${r.status()} ${await r.text()}`)
    return (await r.json()) as T
  }
  const kb = await post('/knowledge-bases', { name: 'Shop FAQ' })
  await post(`/knowledge-bases/${String(kb.id)}/documents`, {
    title: 'Shipping',
    text: 'How long does shipping take? Shipping takes three to five days after we ship your order. Shipping is free above 50 euros.',
  })
  const agent = await post('/agents', { name: 'Shop bot', knowledgeBaseIds: [kb.id] })
  return {
    auth,
    get,
    post,
    async ask(text, handoff = false) {
      const conv = await post('/conversations', { agentId: agent.id, channel: 'widget' })
      const reply = await post(`/conversations/${String(conv.id)}/messages`, { text })
      if (handoff) await post(`/conversations/${String(conv.id)}/outcome`, { type: 'handoff' })
      return reply as unknown as AgentReply
    },
    async refreshUntil(what, read, done) {
      const deadline = Date.now() + 60_000
      for (;;) {
        await outboxDrained(apiUrl)
        await post('/analytics/refresh')
        const v = await read()
        if (done(v)) return v
        if (Date.now() > deadline)
          throw new Error(`${what}: not within 60 s; last answer ${JSON.stringify(v)}`)
        await new Promise((resolve) => setTimeout(resolve, 250)) // poll interval of a condition wait
      }
    },
  }
}

/**
 * Asks one answered question, the gift-card questions and the loyalty ones; waits until both gaps
 * are open at full volume. The first two gift-card conversations end in a hand-off outcome: that
 * closes them (the lift's resolved rate gets a denominator) and escalates the reply before it, so
 * the gift-card gap carries an escalation cost.
 */
export async function makeGaps(t: GapTenant): Promise<{ gift: GapSummary; loyalty: GapSummary }> {
  await t.ask('How long does shipping take?')
  for (const [i, q] of GIFT.entries()) await t.ask(q, i < 2)
  for (const q of LOYALTY) await t.ask(q)
  const open = () => t.get<{ items: GapSummary[] }>('/analytics/knowledge-gaps?status=open')
  const page = await t.refreshUntil(
    'two open gaps of 4 and 3 questions',
    open,
    (p) => p.items.map((g) => g.volume).join() === '4,3',
  )
  const [gift, loyalty] = page.items as [GapSummary, GapSummary]
  return { gift, loyalty }
}

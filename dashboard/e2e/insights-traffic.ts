// Traffic for the insights screens: one agent running a prompt experiment (two variants), eight
// conversations over two channels and several intents with mixed outcomes, all through the real
// API (engine, outbox, pipelines), so every number the screens show comes from real rows.
import type { APIRequestContext } from 'playwright-core'
import { confirmStarterKnowledge } from './traffic.js'

async function post(req: APIRequestContext, url: string, body: unknown, headers: Record<string, string>) {
  const r = await req.post(url, { data: body, headers })
  if (!r.ok()) throw new Error(`POST ${url}: ${r.status()} ${await r.text()}`)
  return (await r.json()) as Record<string, unknown>
}

const QUESTIONS = [
  'Where is my order? It has not arrived.',
  'Can I return a pair of shoes?',
  'How long does delivery take?',
  'Do you ship abroad?',
]
const OUTCOMES = [{ type: 'resolved' }, { type: 'handoff' }, null, { type: 'purchase', amount: 20 }] as const

export interface InsightsTraffic {
  experimentId: string
  agentId: string
}

/** Sends the traffic with an admin key made from the signed-in owner's session (CSRF double submit). */
export async function sendInsightsTraffic(
  req: APIRequestContext,
  base: string,
  csrf: string,
): Promise<InsightsTraffic> {
  const api = `${base}/api/v1`
  const key = await post(
    req,
    `${api}/api-keys`,
    { name: 'e2e', scopes: ['admin', 'conversations:write'] },
    { 'x-csrf-token': csrf },
  )
  const auth = { authorization: `Bearer ${String(key.secret)}` }
  const agent = String((await post(req, `${api}/agents`, { name: 'Shop assistant' }, auth)).id)
  await confirmStarterKnowledge(req, api, auth, agent)
  const template = 'You are the assistant of {{business_name}}. Be {{tone_style}}.'
  const p1 = (await post(req, `${api}/prompt-versions`, { name: 'support', template }, auth)).id
  const p2 = (
    await post(
      req,
      `${api}/prompt-versions`,
      { name: 'support', template: `${template} Answer in one line.` },
      auth,
    )
  ).id
  const experiment = await post(
    req,
    `${api}/experiments`,
    {
      agentId: agent,
      name: 'One-line answers',
      variants: [
        { promptVersionId: p1, label: 'A' },
        { promptVersionId: p2, label: 'B' },
      ],
    },
    auth,
  )
  let last = ''
  for (let i = 0; i < 8; i++) {
    const conv = await post(
      req,
      `${api}/conversations`,
      { agentId: agent, channel: i % 2 ? 'widget' : 'api' },
      auth,
    )
    last = String(conv.id)
    await post(req, `${api}/conversations/${last}/messages`, { text: QUESTIONS[i % QUESTIONS.length] }, auth)
    const outcome = OUTCOMES[i % OUTCOMES.length]
    if (outcome) await post(req, `${api}/conversations/${last}/outcome`, outcome, auth)
    // A signal that does not depend on the embedder's grounding: a negative rating after the reply.
    if (i === 1)
      await post(req, `${api}/conversations/${last}/feedback`, { rating: 'negative', csat: 2 }, auth)
  }
  // The outbox drains in order: once this last event reaches the analytics, every earlier one has.
  await post(req, `${api}/conversations/${last}/feedback`, { rating: 'positive', csat: 4 }, auth)
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    await post(req, `${api}/analytics/refresh`, {}, auth)
    const r = await req.get(`${api}/analytics/conversations/resolved?limit=500`, { headers: auth })
    const page = (await r.json()) as { items: { conversationId: string; csat: number | null }[] }
    if (page.items.some((c) => c.conversationId === last && c.csat === 4)) {
      await post(req, `${api}/analytics/refresh`, {}, auth)
      return { experimentId: String(experiment.id), agentId: agent }
    }
    await new Promise((resolve) => setTimeout(resolve, 200)) // poll interval of a condition wait
  }
  throw new Error('the analytics did not catch up with the traffic within 30 s')
}

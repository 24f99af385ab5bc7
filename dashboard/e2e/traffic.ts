// A small, hand-countable tenant: conversations sent through the real API (engine, outbox,
// pipelines), so every number the screens show was computed by the API from real rows.
import type { APIRequestContext } from 'playwright-core'

/** POST JSON through the dashboard's proxy; fails loudly with the API's answer. */
async function post(req: APIRequestContext, url: string, body: unknown, headers: Record<string, string>) {
  const r = await req.post(url, { data: body, headers })
  if (!r.ok()) throw new Error(`POST ${url}: ${r.status()} ${await r.text()}`)
  return (await r.json()) as Record<string, unknown>
}

export interface Traffic {
  conversations: number
  widget: number
}

// Eight conversations: channels alternate; outcomes cover resolved, hand-off, purchase and none.
const QUESTIONS = [
  'How long does delivery take?',
  'Can I return a pair of shoes?',
  'Where is my order?',
  'Do you ship abroad?',
]
const OUTCOMES = [
  { type: 'resolved' },
  { type: 'handoff' },
  { type: 'purchase', amount: 59.9 },
  null,
] as const

/**
 * Sends the traffic as the signed-in owner: an admin API key is made with the session cookie and
 * its CSRF token (the same double submit the screens use), then the key drives the rest.
 */
export async function sendTraffic(req: APIRequestContext, base: string, csrf: string): Promise<Traffic> {
  const api = `${base}/api/v1`
  const key = await post(
    req,
    `${api}/api-keys`,
    { name: 'e2e', scopes: ['admin', 'conversations:write'] },
    { 'x-csrf-token': csrf },
  )
  const auth = { authorization: `Bearer ${String(key.secret)}` }
  const agent = await post(req, `${api}/agents`, { name: 'Shop assistant' }, auth)
  let widget = 0
  for (let i = 0; i < 8; i++) {
    const channel = i % 2 ? 'widget' : 'api'
    if (channel === 'widget') widget++
    const conv = await post(req, `${api}/conversations`, { agentId: agent.id, channel }, auth)
    const id = String(conv.id)
    await post(req, `${api}/conversations/${id}/messages`, { text: QUESTIONS[i % QUESTIONS.length] }, auth)
    const outcome = OUTCOMES[i % OUTCOMES.length]
    if (outcome) await post(req, `${api}/conversations/${id}/outcome`, outcome, auth)
    if (i % 3 === 0)
      await post(req, `${api}/conversations/${id}/feedback`, { rating: 'positive', csat: 5 }, auth)
  }
  // The analytics are rebuilt by the pipelines; run them now rather than wait for the 10 s tick.
  await post(req, `${api}/analytics/refresh`, {}, auth)
  return { conversations: 8, widget }
}

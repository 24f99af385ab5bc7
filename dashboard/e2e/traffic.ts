// A small, hand-countable tenant: conversations sent through the real API (engine, outbox,
// pipelines), so every number the screens show was computed by the API from real rows.
import type { APIRequestContext } from 'playwright-core'

/** POST JSON through the dashboard's proxy; fails loudly with the API's answer. */
async function post(req: APIRequestContext, url: string, body: unknown, headers: Record<string, string>) {
  const r = await req.post(url, { data: body, headers })
  if (!r.ok()) throw new Error(`POST ${url}: ${r.status()} ${await r.text()}`)
  return (await r.json()) as Record<string, unknown>
}

async function get(req: APIRequestContext, url: string, headers: Record<string, string>) {
  const r = await req.get(url, { headers })
  if (!r.ok()) throw new Error(`GET ${url}: ${r.status()} ${await r.text()}`)
  return (await r.json()) as Record<string, unknown>
}

/**
 * Confirms the agent's starter documents as an owner would: the template's examples answer only
 * once confirmed (ADR 0019), and these tests want the starter knowledge answering.
 */
export async function confirmStarterKnowledge(
  req: APIRequestContext,
  api: string,
  auth: Record<string, string>,
  agentId: string,
): Promise<void> {
  const agent = await get(req, `${api}/agents/${agentId}`, auth)
  for (const kb of agent.knowledgeBaseIds as string[]) {
    const docs = await get(req, `${api}/knowledge-bases/${kb}/documents?limit=200`, auth)
    for (const d of docs.items as { id: string; confirmedAt: string | null }[])
      if (!d.confirmedAt) await post(req, `${api}/knowledge-bases/${kb}/documents/${d.id}/confirm`, {}, auth)
  }
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
  await confirmStarterKnowledge(req, api, auth, String(agent.id))
  let widget = 0
  let last: unknown
  for (let i = 0; i < 8; i++) {
    const channel = i % 2 ? 'widget' : 'api'
    if (channel === 'widget') widget++
    const conv = await post(req, `${api}/conversations`, { agentId: agent.id, channel }, auth)
    const id = String(conv.id)
    last = conv.id
    await post(req, `${api}/conversations/${id}/messages`, { text: QUESTIONS[i % QUESTIONS.length] }, auth)
    const outcome = OUTCOMES[i % OUTCOMES.length]
    if (outcome) await post(req, `${api}/conversations/${id}/outcome`, outcome, auth)
    if (i % 3 === 0)
      await post(req, `${api}/conversations/${id}/feedback`, { rating: 'positive', csat: 5 }, auth)
  }
  // A last, recognisable event: the outbox drains in order, so once it reaches the analytics
  // every earlier one has too.
  const lastId = String(last)
  await post(req, `${api}/conversations/${lastId}/feedback`, { rating: 'positive', csat: 4 }, auth)
  await analyticsInclude(req, api, auth, lastId)
  return { conversations: 8, widget }
}

/**
 * Runs the pipelines (POST /analytics/refresh) until the report shows `lastId` with its CSAT: the
 * events reach ClickHouse through the asynchronous outbox drainer, so one refresh may come early.
 */
async function analyticsInclude(
  req: APIRequestContext,
  api: string,
  auth: Record<string, string>,
  lastId: string,
) {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    await post(req, `${api}/analytics/refresh`, {}, auth)
    const r = await req.get(`${api}/analytics/conversations/resolved?limit=500`, { headers: auth })
    const page = (await r.json()) as { items: { conversationId: string; csat: number | null }[] }
    if (page.items.some((c) => c.conversationId === lastId && c.csat === 4)) {
      await post(req, `${api}/analytics/refresh`, {}, auth)
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 200)) // poll interval of a condition wait
  }
  throw new Error('the analytics did not catch up with the traffic within 30 s')
}

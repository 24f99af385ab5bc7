import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  as,
  confirmStarterKnowledge,
  createKey,
  signup,
  startTestApp,
  type TestApp,
} from '../testing/harness.js'

// The transcript carries, per reply, what the engine answered at the time (POST …/messages):
// its sources, intent, actions and escalation. Each reply of a real conversation through the
// engine must read back from GET /conversations/:id exactly as it was sent.

let t: TestApp
let key: string
let agentId: string
beforeAll(async () => {
  t = await startTestApp()
  const owner = await signup(t.app, 'ecommerce')
  key = await createKey(t.app, owner, ['admin', 'conversations:write'])
  const agent = await t.app.inject({
    method: 'POST',
    url: '/api/v1/agents',
    headers: as(key),
    payload: { name: 'Shop bot' },
  })
  agentId = agent.json().id
  // The template's starter documents answer only once the owner confirms them (ADR 0019).
  await confirmStarterKnowledge(t.app, key, agentId)
})
afterAll(async () => t?.close())

type Sent = {
  intent: string
  grounded: boolean
  sources: { documentId: string; knowledgeBaseId: string; title: string }[]
  actions: { name: string; ok: boolean; needsInput: boolean }[]
  escalated: boolean
  escalationReason: string | null
  variantId: string | null
}

describe('GET /conversations/:id — the engine’s record of each reply', () => {
  it('sources, intent, actions and escalation, as the engine answered them', async () => {
    const c = await t.app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: as(key),
      payload: { agentId, channel: 'api' },
    })
    const id = c.json().id as string
    const sent: Sent[] = []
    for (const text of [
      'How long does standard delivery take and how much does shipping cost?', // grounded, sources
      'Where is my order #48213? It has not arrived', // runs order_status
      'I want to talk to a human right now', // hands off: asked
    ]) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${id}/messages`,
        headers: as(key),
        payload: { text },
      })
      expect(r.statusCode, r.body).toBe(201)
      sent.push(r.json())
    }
    // The fixture covers what it claims to, or the comparison below proves little.
    expect(sent[0]!.sources.length).toBeGreaterThan(0)
    expect(sent[1]!.actions.map((a) => a.name)).toContain('order_status')
    expect(sent[2]).toMatchObject({ escalated: true, escalationReason: 'asked' })

    const detail = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${id}`, headers: as(key) })
    expect(detail.statusCode, detail.body).toBe(200)
    const messages = detail.json().messages as { role: string; reply: unknown }[]
    expect(messages.map((m) => m.role)).toEqual([
      'customer',
      'agent',
      'customer',
      'agent',
      'customer',
      'agent',
    ])
    for (const m of messages.filter((x) => x.role === 'customer')) expect(m.reply).toBeNull()
    const replies = messages.filter((m) => m.role === 'agent').map((m) => m.reply)
    expect(replies).toEqual(
      sent.map((s) => ({
        intent: s.intent,
        confidence: expect.any(Number),
        grounded: s.grounded,
        variantId: s.variantId,
        sources: s.sources.map((x) => ({
          documentId: x.documentId,
          knowledgeBaseId: x.knowledgeBaseId,
          title: x.title,
        })),
        actions: s.actions.map((a) => ({ name: a.name, ok: a.ok, needsInput: a.needsInput })),
        escalated: s.escalated,
        escalationReason: s.escalationReason,
      })),
    )
  })

  it('a reply recorded before actions and escalation were kept says so (null), never "none"', async () => {
    const c = await t.app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: as(key),
      payload: { agentId, channel: 'api' },
    })
    const id = c.json().id as string
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/messages`,
      headers: as(key),
      payload: { text: 'How long does standard delivery take?' },
    })
    // Rewrite the reply's metadata as the engine wrote it before 2026-11-30.
    await t.deps.db
      .updateTable('messages')
      .set({
        metadata: JSON.stringify({
          intent: 'shipping',
          confidence: 0.7,
          grounded: true,
          variantId: null,
          sources: [],
        }),
      })
      .where('conversation_id', '=', id)
      .where('role', '=', 'agent')
      .execute()
    const detail = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${id}`, headers: as(key) })
    expect(detail.json().messages[1].reply).toEqual({
      intent: 'shipping',
      confidence: 0.7,
      grounded: true,
      variantId: null,
      sources: [],
      actions: null,
      escalated: null,
      escalationReason: null,
    })
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVariantScoring, runJob, seededRandom } from '@luneo/pipelines'
import { pipelineDeps } from './wiring/pipelines.js'
import { as, createKey, signup, startTestApp, type TestApp } from './testing/harness.js'

// Two prompt variants with different true resolution rates (A 0.8, B 0.3): the conversations go
// through the engine, which picks the variant; each gets a `resolved` outcome with its variant's
// probability (seeded), else a `handoff`. After the pipelines run, the traffic weights move to A
// and the engine's next picks follow them; with the stop rule on, A is declared the winner.

const TRUE_RATE = { A: 0.8, B: 0.3 } as const
let t: TestApp
let key: string
let orgId: string
let agent: string
let experiment: string
const labelOf = new Map<string, 'A' | 'B'>()
const random = seededRandom(2025)
const post = (url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(key), payload })
const get = async (url: string) => {
  const r = await t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: as(key) })
  expect(r.statusCode, r.body).toBe(200)
  return r.json()
}

/** One conversation: a question, the engine's reply; returns the variant the engine chose. */
async function converse(withOutcome: boolean): Promise<string | null> {
  const c = (await post('/conversations', { agentId: agent, channel: 'api' })).json().id
  const r = await post(`/conversations/${c}/messages`, { text: 'Where is my order? It has not arrived.' })
  expect(r.statusCode, r.body).toBe(201)
  const variantId = r.json().variantId as string | null
  if (withOutcome && variantId) {
    const resolved = random() < TRUE_RATE[labelOf.get(variantId)!]
    const o = await post(`/conversations/${c}/outcome`, { type: resolved ? 'resolved' : 'handoff' })
    expect(o.statusCode, o.body).toBe(201)
  }
  return variantId
}

beforeAll(async () => {
  t = await startTestApp()
  const owner = await signup(t.app, 'ecommerce')
  orgId = owner.organizationId
  key = await createKey(t.app, owner, ['admin', 'conversations:write'])
  agent = (await post('/agents', { name: 'Shop bot', knowledgeBaseIds: [] })).json().id
  const base = 'You are the assistant of {{business_name}}. Be {{tone_style}}.'
  const p1 = (await post('/prompt-versions', { name: 'support', template: base })).json().id
  const p2 = (
    await post('/prompt-versions', { name: 'support', template: `${base} Answer in one line.` })
  ).json().id
  const e = await post('/experiments', {
    agentId: agent,
    name: 'one-line answers',
    variants: [
      { promptVersionId: p1, label: 'A' },
      { promptVersionId: p2, label: 'B' },
    ],
  })
  expect(e.statusCode, e.body).toBe(201)
  experiment = e.json().id
  for (const v of e.json().variants as { id: string; label: 'A' | 'B' }[]) labelOf.set(v.id, v.label)
})
afterAll(async () => t?.close())

describe('variant scoring moves traffic to the better prompt', () => {
  it(
    'splits traffic equally before any decision, then Thompson weights favour A and the picks follow',
    { timeout: 300_000 },
    async () => {
      const first: Record<string, number> = { A: 0, B: 0 }
      for (let i = 0; i < 100; i++) first[labelOf.get((await converse(true))!)!]! += 1
      expect(first.A).toBeGreaterThan(30) // equal split: ~50 each
      expect(first.B).toBeGreaterThan(30)
      await t.drainer.drainAll()
      await t.deps.pipelines.runAll({ organizationId: orgId, only: 'conversation_outcomes' })
      // Stop rule off for this phase: the experiment keeps running on Thompson weights.
      await runJob(pipelineDeps(t.deps), createVariantScoring({ stop: null }), { organizationId: orgId })

      const exp = await get(`/experiments/${experiment}`)
      const w = Object.fromEntries(
        exp.variants.map((v: { label: string; weight: number }) => [v.label, v.weight]),
      )
      const results = await get(`/analytics/experiments/${experiment}`)
      const post_ = Object.fromEntries(
        results.variants.map((v: { label: string; posterior: object }) => [v.label, v.posterior]),
      )
      console.log(
        `VARIANTS first=${JSON.stringify(first)} weights A=${w.A} B=${w.B} posteriors A=${JSON.stringify(post_.A)} B=${JSON.stringify(post_.B)}`,
      )
      expect(w.A).toBeGreaterThan(0.95)
      expect(w.B).toBeLessThan(0.05)
      expect(post_.A.mean).toBeGreaterThan(post_.B.mean)
      expect(results.history).toHaveLength(1)
      expect(results.status).toBe('running')

      const next: Record<string, number> = { A: 0, B: 0 }
      for (let i = 0; i < 100; i++) next[labelOf.get((await converse(false))!)!]! += 1
      console.log(`VARIANTS next 100 picks A=${next.A} B=${next.B} (weights A=${w.A} B=${w.B})`)
      expect(next.A).toBeGreaterThanOrEqual(90)
    },
  )

  it('the stop rule declares A the winner, and the agent keeps A’s prompt', async () => {
    await t.deps.pipelines.runAll({ organizationId: orgId })
    const results = await get(`/analytics/experiments/${experiment}`)
    const a = results.variants.find((v: { label: string }) => v.label === 'A')
    expect(results.status).toBe('completed')
    expect(results.winnerVariantId).toBe(a.id)
    expect(a.weight).toBe(1)
    expect(results.history[0].reason).toMatch(/^winner/)
    expect((await get(`/agents/${agent}`)).promptVersionId).toBe(a.promptVersionId)
    // re-running changes nothing: no new history row
    await t.deps.pipelines.runAll({ organizationId: orgId })
    expect((await get(`/analytics/experiments/${experiment}`)).history).toHaveLength(results.history.length)
  })
})

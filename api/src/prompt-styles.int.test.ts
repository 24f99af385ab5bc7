import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertTuningWeights } from '@luneo/warehouse'
import {
  as,
  confirmStarterKnowledge,
  createKey,
  signup,
  startTestApp,
  type TestApp,
} from './testing/harness.js'

// A prompt version's reply style, from the API to the reply: validated and stored with the
// version, and honoured by the local provider when the engine serves that variant (ADR 0017).

let t: TestApp
let key: string
let orgId: string
const post = (url: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(key), payload })

beforeAll(async () => {
  t = await startTestApp()
  const owner = await signup(t.app, 'ecommerce')
  orgId = owner.organizationId
  key = await createKey(t.app, owner, ['admin', 'conversations:write'])
})
afterAll(async () => t?.close())

const template = 'You are the assistant of {{business_name}}. Be {{tone_style}}.'
const detailed = { maxSentences: 4, greeting: true, tone: 'friendly', citeSources: true }
const brief = { maxSentences: 1, greeting: false, tone: 'neutral', offerNextStep: true }

describe('prompt versions with a reply style', () => {
  it('store a valid style and refuse an invalid one', async () => {
    const created = await post('/prompt-versions', { name: 'styled', template, style: brief })
    expect(created.statusCode, created.body).toBe(201)
    expect(created.json().style).toEqual(brief)
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/prompt-versions/${created.json().id}`,
      headers: as(key),
    })
    expect(read.json().style).toEqual(brief)
    const plain = await post('/prompt-versions', { name: 'plain', template })
    expect(plain.json().style).toBeNull()
    for (const style of [{ tone: 'sarcastic' }, { maxSentences: 0 }, { emoji: true }]) {
      const r = await post('/prompt-versions', { name: 'bad', template, style })
      expect(r.statusCode, JSON.stringify(style)).toBe(400)
    }
  })

  it('the variant served decides how the local provider’s reply reads', async () => {
    const agent = (await post('/agents', { name: 'Shop bot' })).json().id
    await confirmStarterKnowledge(t.app, key, agent)
    const a = (await post('/prompt-versions', { name: 'support', template, style: detailed })).json().id
    const b = (await post('/prompt-versions', { name: 'support', template, style: brief })).json().id
    const e = await post('/experiments', {
      agentId: agent,
      name: 'Brief vs detailed answers',
      variants: [
        { promptVersionId: a, label: 'detailed' },
        { promptVersionId: b, label: 'brief' },
      ],
    })
    expect(e.statusCode, e.body).toBe(201)
    const [va, vb] = e.json().variants as { id: string; label: string }[]
    const serve = async (variant: string) => {
      const weights = [va!, vb!].map((v) => ({ variant_id: v.id, weight: v.id === variant ? 1 : 0 }))
      await upsertTuningWeights(t.deps.db, orgId, e.json().id, weights, 'test: one variant only')
      const c = (await post('/conversations', { agentId: agent, channel: 'api' })).json().id
      const r = await post(`/conversations/${c}/messages`, { text: 'How long does standard delivery take?' })
      expect(r.statusCode, r.body).toBe(201)
      expect(r.json()).toMatchObject({ variantId: variant, grounded: true })
      return r.json().reply as string
    }
    const long = await serve(va!.id)
    const short = await serve(vb!.id)
    console.log(`STYLE detailed: ${long}\nSTYLE brief:    ${short}`)
    expect(long).toMatch(/^Hi there! Happy to help!/)
    expect(long).toMatch(/\(Source: [^)]+\)$/)
    expect(short).not.toMatch(/^Hi there!/)
    expect(short).not.toContain('Source')
    expect(short).toMatch(/I can connect you with a member of our team\.$/)
    expect(long.length).toBeGreaterThan(short.length)
  })
})

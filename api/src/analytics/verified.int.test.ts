import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAI, type FakeOpenAI } from '@luneo/models/testing'
import { as, createKey, fakeOpenAIConfig, signup, startTestApp, type TestApp } from '../testing/harness.js'

// Verified resolution: with a remote model configured, the judge reads a redacted transcript of
// each sampled closed conversation; its verdict and reason are kept and counted beside the others.

let fake: FakeOpenAI
let t: TestApp
let key: string
beforeAll(async () => {
  fake = await startFakeOpenAI()
  t = await startTestApp({
    openai: fakeOpenAIConfig(fake.baseURL),
    judgeSampleRate: 1,
  })
  const owner = await signup(t.app)
  key = await createKey(t.app, owner, ['admin', 'conversations:write', 'analytics:read'])
})
afterAll(async () => {
  await t?.close()
  await fake?.close()
})

describe('verified resolution', () => {
  it('judges closed conversations on redacted transcripts and reports the rate with reasons', async () => {
    const post = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(key), payload })
    const agent = (await post('/agents', { name: 'a' })).json().id
    const ids: string[] = []
    for (const text of [
      'I want to talk to a human, mail me at jane@example.com',
      'Can I speak to an agent please?',
    ]) {
      const c = (await post('/conversations', { agentId: agent, channel: 'api' })).json().id
      expect((await post(`/conversations/${c}/messages`, { text })).json().escalated).toBe(true) // handed off = closed
      ids.push(c)
    }
    // The judge answers YES for the first transcript, NO for the second.
    fake.setReply((req: { messages: { role: string; content: string }[] }) => {
      const user = req.messages.find((m) => m.role === 'user')?.content ?? ''
      if (!req.messages.some((m) => m.role === 'system' && m.content.includes('VERDICT'))) return 'A reply.'
      return user.includes('jane') || user.includes('[EMAIL]')
        ? 'VERDICT: YES\nREASON: The customer got what they asked for.'
        : 'VERDICT: NO\nREASON: The assistant could not help.'
    })
    await t.drainer.drainAll() // the test app has no background drainer
    const refresh = await post('/analytics/refresh', {})
    expect(refresh.statusCode, refresh.body).toBe(200)
    expect(refresh.json().jobs.find((j: { job: string }) => j.job === 'verified_resolution_v1').rowsOut).toBe(
      2,
    )
    // The transcript reached the remote judge redacted.
    const judged = fake.requests.filter((r) => JSON.stringify(r.body).includes('VERDICT'))
    expect(judged.length).toBe(2)
    for (const r of judged) expect(JSON.stringify(r.body)).not.toContain('jane@example.com')

    const q = await t.app.inject({
      method: 'GET',
      url: '/api/v1/analytics/query?measures=judged_conversations,verified_resolution_rate',
      headers: as(key),
    })
    expect(q.json().rows).toEqual([{ judged_conversations: 2, verified_resolution_rate: 0.5 }])
    // The executive overview reads it from ROI, beside the other three definitions.
    const roi = await t.app.inject({ method: 'GET', url: '/api/v1/analytics/roi', headers: as(key) })
    expect(roi.json().totals).toMatchObject({ judged_conversations: 2, verified_resolution_rate: 0.5 })
    const report = await t.app.inject({
      method: 'GET',
      url: '/api/v1/analytics/conversations/resolved',
      headers: as(key),
    })
    const byId = new Map(report.json().items.map((i: { conversationId: string }) => [i.conversationId, i]))
    expect(byId.get(ids[0]!)).toMatchObject({
      verified: true,
      verdictReason: 'The customer got what they asked for.',
    })
    expect(byId.get(ids[1]!)).toMatchObject({
      verified: false,
      verdictReason: 'The assistant could not help.',
    })

    // Judged conversations are not judged again.
    const again = await post('/analytics/refresh', {})
    expect(again.json().jobs.find((j: { job: string }) => j.job === 'verified_resolution_v1').rowsOut).toBe(0)
  })
})

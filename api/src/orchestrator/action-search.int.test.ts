import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  as,
  confirmStarterKnowledge,
  createKey,
  signup,
  startTestApp,
  type TestApp,
} from '../testing/harness.js'

// An action that searches the knowledge (accounting's documents checklist) runs inside the commit's
// transaction. Its lexical search read Postgres on a second connection, which PGlite (one
// connection) never gives while the transaction holds it: the turn waited forever, and the demo
// seed with it. The search now reads through the transaction.
describe('a knowledge-searching action inside the turn', () => {
  let t: TestApp
  let key: string
  beforeAll(async () => {
    t = await startTestApp()
    key = await createKey(t.app, await signup(t.app, 'accounting'), ['admin', 'conversations:write'])
  })
  afterAll(async () => t?.close())

  it('answers, with the action run, on the starter knowledge', { timeout: 30_000 }, async () => {
    const post = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(key), payload })
    const agent = (await post('/agents', { name: 'Firm assistant' })).json().id
    await confirmStarterKnowledge(t.app, key, agent)
    const c = (await post('/conversations', { agentId: agent, channel: 'api' })).json().id
    const r = await post(`/conversations/${c}/messages`, {
      text: 'Hi, what do you need for the year-end closing?',
    })
    expect(r.statusCode, r.body).toBe(201)
    const reply = r.json<{ grounded: boolean; actions: { name: string }[] }>()
    expect(reply.grounded).toBe(true)
    expect(reply.actions.length).toBeGreaterThan(0)
  })
})

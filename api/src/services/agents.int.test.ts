import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, signup, startTestApp, type Session, type TestApp } from '../testing/harness.js'

// An agent names its model; ROI counts every token it spends, so an unpriced model is refused when
// it is set, not priced 0 when it answers.
let t: TestApp
let owner: Session
beforeAll(async () => {
  t = await startTestApp({ prices: { 'my-fine-tune': { input: 1, output: 2 } } })
  owner = await signup(t.app)
})
afterAll(async () => t?.close())

describe('an agent’s model must have a price', () => {
  const create = (model: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: as(owner),
      payload: { name: 'Helper', knowledgeBaseIds: [], settings: { model } },
    })

  it('refuses an unpriced model with a 400 that says how to price it', async () => {
    const res = await create('mystery-model')
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'body.settings.model' }],
    })
    expect(res.json().detail).toMatch(/LUNEO_PRICES/)
  })

  it('accepts a listed model, a dated snapshot of one, and one the operator priced', async () => {
    for (const model of ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 'my-fine-tune'])
      expect((await create(model)).statusCode, model).toBe(201)
  })

  it('refuses the unpriced model on update too', async () => {
    const agent = (await create('gpt-4o')).json()
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${agent.id}`,
      headers: as(owner),
      payload: { settings: { model: 'mystery-model' } },
    })
    expect(res.statusCode).toBe(400)
  })
})

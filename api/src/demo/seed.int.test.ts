import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../testing/harness.js'
import { seedDemo } from './seed.js'

// The demo owners confirm their starter documents through the knowledge service (ADR 0019), so
// the demo answers from its first conversation.
describe('the demo seed', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(async () => t?.close())

  it('answers from confirmed starter knowledge on first run', { timeout: 120_000 }, async () => {
    const seeded = await seedDemo(t.deps, { orgsPerVertical: 1, conversationsPerOrg: 12, days: 3 })
    expect(seeded.organizations).toBe(3)
    const docs = await t.deps.db
      .selectFrom('knowledge_documents')
      .select(['confirmed_at', 'indexed_at'])
      .execute()
    expect(docs.length).toBeGreaterThan(0)
    for (const d of docs) {
      expect(d.confirmed_at).not.toBeNull()
      expect(d.indexed_at).not.toBeNull()
    }
    const replies = await t.deps.db
      .selectFrom('messages')
      .select('metadata')
      .where('role', '=', 'agent')
      .execute()
    const grounded = replies.filter((r) => (r.metadata as { grounded?: boolean }).grounded === true)
    expect(grounded.length).toBeGreaterThan(0)
  })
})

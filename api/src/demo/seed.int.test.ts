import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gapsForMatching, getOrganization, organizationIds } from '@luneo/warehouse'
import { startTestApp, type TestApp } from '../testing/harness.js'
import { OUT_OF_KNOWLEDGE, demoQuestions } from './scenario.js'
import { seedDemo } from './seed.js'
import { getTemplate } from '@luneo/models'

// What `make dev` shows on first run, one organization per vertical: the demo seeded through the
// real engine, drained, every pipeline run as the server does after seeding. The gap queue was
// empty here once the calibrated grounding began answering near misses ("gift wrapping?" →
// the shipping document): customers who got a wrong answer never said so.

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await seedDemo(t.deps, { orgsPerVertical: 1 })
  await t.drainer.drainAll()
  await t.deps.pipelines.runAll({ full: true })
}, 600_000)
afterAll(async () => t?.close())

describe('the seeded demo', () => {
  it('shows at least one open knowledge gap per vertical, about a topic no starter knowledge covers', async () => {
    const byVertical = new Map<string, string[]>()
    for (const org of await organizationIds(t.deps.db)) {
      const o = (await getOrganization(t.deps.db, org))!
      const gaps = (await gapsForMatching(t.deps.db, org)).filter((g) => g.status === 'open')
      // Which topic each gap is about: its examples' topic in the scenario (openers stripped by the job).
      const topicOf = new Map(
        demoQuestions(getTemplate(o.vertical)).map((q) => [q.text.toLowerCase(), q.topic]),
      )
      const topics = gaps.map((g) => {
        const counts = new Map<string, number>()
        for (const e of g.examples) {
          const topic = topicOf.get(e.toLowerCase()) ?? '?'
          counts.set(topic, (counts.get(topic) ?? 0) + 1)
        }
        return [...counts].sort((a, b) => b[1] - a[1])[0]![0]
      })
      console.log(
        `DEMO_SEED ${o.vertical}: ${gaps.length} open gaps: ${gaps.map((g, i) => `"${g.label}" (${topics[i]}, ${g.volume} q, ${g.escalations} esc)`).join('; ')}`,
      )
      byVertical.set(o.vertical, topics)
    }
    for (const vertical of ['ecommerce', 'real_estate', 'accounting']) {
      const missing = Object.keys(OUT_OF_KNOWLEDGE[vertical]!)
      expect(
        byVertical.get(vertical)!.filter((t) => missing.includes(t)).length,
        vertical,
      ).toBeGreaterThanOrEqual(1)
    }
  })
})

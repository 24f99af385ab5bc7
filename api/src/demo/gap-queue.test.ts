import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createBgeSmallEmbedder,
  createLocalEmbedder,
  getTemplate,
  hasBgeSmallModel,
  type Embedder,
} from '@luneo/models'
import {
  adjustedRandIndex,
  clusterByThreshold,
  gapOptionsFor,
  purity,
  questionTitle,
  removeFiller,
} from '@luneo/pipelines'
import { OPENERS, demoQuestions, withOpener } from './scenario.js'

// The demo's gap queue on first run: every question the ecommerce demo can ask, behind each of its
// openers, through what knowledge_gaps_v1 does (filler removal, embedding, average-linkage cut).
// The issue: "is there free shipping?", "my discount code isn't working", "do you take Apple
// Pay?" and "still no delivery" came out as one gap labelled "question, quick, apple" — they
// shared the prefix "Quick question:".

const ISSUE = [
  'Is there free shipping?',
  "My discount code isn't working",
  'Do you take Apple Pay?',
  "It's been a week and still no delivery",
]
const questions = demoQuestions(getTemplate('ecommerce')).flatMap((q) =>
  OPENERS.map((o) => ({ ...q, text: withOpener(o, q.text) })),
)

async function queue(embedder: Embedder, strip: boolean) {
  const texts = questions.map((q) => (strip ? removeFiller(q.text) || q.text : q.text))
  const clusters = clusterByThreshold(await embedder.embed(texts), gapOptionsFor(embedder.id).maxDistance)
  const clusterOf = new Map<string, number>()
  clusters.forEach((c, k) => c.forEach((i) => clusterOf.set(questions[i]!.text, k)))
  const labels = clusters.map((c) => c.map((i) => questions[i]!.topic))
  return { clusters, clusterOf, purity: purity(labels), ari: adjustedRandIndex(labels) }
}

const quick = (t: string) => withOpener('Quick question: ', t)

function expectNoOpenerGaps(q: Awaited<ReturnType<typeof queue>>) {
  // the four "Quick question:" questions are four different gaps…
  expect(new Set(ISSUE.map((t) => q.clusterOf.get(quick(t)))).size).toBe(4)
  // …and every question sits with its own variants, whatever the opener
  for (const { text } of demoQuestions(getTemplate('ecommerce')))
    expect(new Set(OPENERS.map((o) => q.clusterOf.get(withOpener(o, text)))).size, text).toBe(1)
}

describe('the demo’s knowledge-gap queue', () => {
  it('titles are questions, not keywords', () => {
    expect(ISSUE.map((t) => questionTitle(quick(t)))).toEqual(ISSUE)
  })

  it('does not group by opener on the hashing fallback', async () => {
    const q = await queue(createLocalEmbedder(), true)
    console.log(
      `DEMO_GAPS hashing ${q.clusters.length} clusters, purity ${q.purity.toFixed(3)}, ARI ${q.ari.toFixed(3)}`,
    )
    expectNoOpenerGaps(q)
  })

  describe.skipIf(!hasBgeSmallModel())('on the semantic model', () => {
    let bge: Embedder
    beforeAll(async () => {
      bge = await createBgeSmallEmbedder()
    })
    afterAll(async () => bge?.close?.())

    it('groups by what is asked', async () => {
      const q = await queue(bge, true)
      const kept = await queue(bge, false)
      console.log(
        `DEMO_GAPS bge-small ${q.clusters.length} clusters, purity ${q.purity.toFixed(3)}, ARI ${q.ari.toFixed(3)} (openers kept: purity ${kept.purity.toFixed(3)}, ARI ${kept.ari.toFixed(3)})`,
      )
      expectNoOpenerGaps(q)
      expect(q.ari).toBeGreaterThan(kept.ari)
    })
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBgeSmallEmbedder, createLocalEmbedder, hasBgeSmallModel, type Embedder } from '@luneo/models'
import { hasDataset, loadDataset, missingDataset, type DatasetName } from '@luneo/models/testing'
import { failedQuestionScenario, type GapScenario } from '../testing/gap-scenario.js'
import { seededRandom } from './beta.js'
import { clusterByThreshold } from './clustering.js'
import { adjustedRandIndex, purity, topGapAccuracy } from './cluster-quality.js'
import { removeFiller } from './filler.js'
import {
  cohesionOf,
  gapOptionsFor,
  grownCentroid,
  placeQuestions,
  planGaps,
  type FailedQuestion,
  type GapOptions,
  type StoredGap,
} from './gaps.js'

// Gap clustering quality on the held-out TEST splits of both data sets (the parameters were chosen
// on train/val by bench/src/tune-gaps.ts; ADR 0016): a third of the intents missing, 12 failed
// questions per missing intent, 2 per known intent, 40 out-of-scope questions on CLINC150, a third
// wrapped in greetings and sign-offs. Prints purity, adjusted Rand index and the precision /
// recall of the top gaps (as many as missing intents) against the missing intents, on val and test.

const NAMES: DatasetName[] = ['banking77', 'clinc150']
const present = NAMES.filter(hasDataset)
for (const n of NAMES) if (!hasDataset(n)) console.warn(missingDataset(n, `gap quality on ${n}`))
if (!hasBgeSmallModel()) console.warn('gap quality skipped: models/.cache/bge-small is empty (make install)')

// Floors: MiniLM's val results (cut 0.45) less about one train-sample spread, kept for bge-small
// (cut 0.225), which clears them: its train and val samples range 0.58–0.68 ARI on banking77,
// 0.66–0.74 on clinc150; recall 0.81–0.89 and 0.88–0.95; purity 0.77–0.82 and 0.94–0.95
// (tune-gaps.ts).
const FLOORS: Record<DatasetName, { purity: number; ari: number; precision: number; recall: number }> = {
  banking77: { purity: 0.7, ari: 0.45, precision: 0.85, recall: 0.7 },
  clinc150: { purity: 0.9, ari: 0.55, precision: 0.9, recall: 0.75 },
}

interface Quality {
  purity: number
  ari: number
  precision: number
  recall: number
}

async function quality(embedder: Embedder, s: GapScenario, strip = true): Promise<Quality> {
  const texts = s.questions.map((q) => (strip ? removeFiller(q.text) || q.text : q.text))
  const vectors = await embedder.embed(texts)
  const { maxDistance, minClusterSize } = gapOptionsFor(embedder.id)
  const clusters = clusterByThreshold(vectors, maxDistance).map((c) => c.map((i) => s.questions[i]!.intent))
  // ranked by volume (every question equally recent and escalation-free here)
  const gaps = clusters.filter((c) => c.length >= minClusterSize)
  return {
    purity: purity(clusters),
    ari: adjustedRandIndex(clusters),
    ...topGapAccuracy(gaps, s.missing, s.missing.length),
  }
}

/**
 * The same questions arriving in a random order: the first 60 % clustered in full, the rest placed
 * 20 at a time as the incremental runs place them (ADR 0023: nearest gap by linkage, else pending,
 * the pending clustered together and planned against the gaps). Clusters = each gap's members,
 * then the pending questions' own clusters.
 */
function incrementalClusters(vectors: number[][], o: GapOptions): number[][] {
  const rnd = seededRandom(12)
  const order = vectors.map((_, i) => i).sort(() => rnd() - 0.5)
  const q = (i: number): FailedQuestion => ({
    replyId: String(i).padStart(6, '0'),
    conversationId: String(i),
    text: '',
    repliedAt: 0,
    escalated: false,
    vector: vectors[i]!,
  })
  const gaps: StoredGap[] = []
  let pending: FailedQuestion[] = []
  const settle = (fresh: FailedQuestion[]) => {
    const all = [...fresh, ...pending]
    const clusters = clusterByThreshold(
      all.map((m) => m.vector),
      o.maxDistance,
    ).map((c) => c.map((i) => all[i]!))
    pending = []
    planGaps(clusters, gaps, o).forEach((a, i) => {
      if (a.kind === 'create')
        gaps.push({
          id: `g${gaps.length}`,
          status: 'open',
          centroid: a.centroid,
          cohesion: cohesionOf(a.members.map((m) => m.vector)),
          memberIds: a.members.map((m) => m.replyId),
          volume: a.members.length,
          escalations: 0,
          lastSeenAt: 0,
          reviewedAt: null,
          examples: [],
        })
      else if (a.kind === 'grow') grow(a.gap, a.added)
      else pending.push(...clusters[i]!)
    })
  }
  const grow = (g: StoredGap, added: FailedQuestion[]) => {
    Object.assign(g, grownCentroid(g, added))
    g.volume += added.length
    g.memberIds.push(...added.map((m) => m.replyId))
  }
  const cut = Math.round(order.length * 0.6)
  settle(order.slice(0, cut).map(q))
  for (let at = cut; at < order.length; at += 20) {
    const { byGap, pending: fresh } = placeQuestions(order.slice(at, at + 20).map(q), gaps, o)
    for (const [g, added] of byGap) grow(g, added)
    if (fresh.length) settle(fresh)
  }
  const rest = clusterByThreshold(
    pending.map((m) => m.vector),
    o.maxDistance,
  ).map((c) => c.map((i) => pending[i]!))
  return [...gaps.map((g) => g.memberIds), ...rest.map((c) => c.map((m) => m.replyId))]
    .map((ids) => ids.map(Number))
    .sort((a, b) => b.length - a.length)
}

async function incrementalQuality(embedder: Embedder, s: GapScenario): Promise<Quality> {
  const vectors = await embedder.embed(s.questions.map((q) => removeFiller(q.text) || q.text))
  const o = gapOptionsFor(embedder.id)
  const clusters = incrementalClusters(vectors, o).map((c) => c.map((i) => s.questions[i]!.intent))
  const gaps = clusters.filter((c) => c.length >= o.minClusterSize)
  return {
    purity: purity(clusters),
    ari: adjustedRandIndex(clusters),
    ...topGapAccuracy(gaps, s.missing, s.missing.length),
  }
}

const f = (q: Quality) =>
  `purity=${q.purity.toFixed(3)} ARI=${q.ari.toFixed(3)} precision=${q.precision.toFixed(3)} recall=${q.recall.toFixed(3)}`

describe.skipIf(present.length === 0 || !hasBgeSmallModel())(
  'knowledge-gap clusters against intent labels',
  () => {
    let bge: Embedder
    beforeAll(async () => {
      bge = await createBgeSmallEmbedder()
    })
    afterAll(async () => bge?.close?.())

    for (const name of present) {
      it(
        `${name}: purity, ARI and top-gap precision/recall on test, above floors set from val`,
        { timeout: 300_000 },
        async () => {
          const data = loadDataset(name)
          const options = {
            perMissing: 12,
            perKnown: 2,
            outOfScope: name === 'clinc150' ? 40 : 0,
            fillerShare: 1 / 3,
          }
          const val = failedQuestionScenario(data, { ...options, split: 'val' })
          const test = failedQuestionScenario(data, { ...options, split: 'test' })
          const clean = failedQuestionScenario(data, { ...options, split: 'test', fillerShare: 0 })
          const results = {
            val: await quality(bge, val),
            test: await quality(bge, test),
            testNoFiller: await quality(bge, clean),
            testFillerKept: await quality(bge, test, false),
            testHashing: await quality(createLocalEmbedder(), test),
            testIncremental: await incrementalQuality(bge, test),
          }
          for (const [k, q] of Object.entries(results))
            console.log(`GAP_QUALITY ${name} ${k} n=${(k === 'val' ? val : test).questions.length} ${f(q)}`)
          const floor = FLOORS[name]
          expect(results.test.purity).toBeGreaterThanOrEqual(floor.purity)
          expect(results.test.ari).toBeGreaterThanOrEqual(floor.ari)
          expect(results.test.precision).toBeGreaterThanOrEqual(floor.precision)
          expect(results.test.recall).toBeGreaterThanOrEqual(floor.recall)
          // placed between daily re-clusters (40 % of the questions, 20 per run), the gaps stay above
          // the same floors (2026-11-30, bge-small: banking77 ARI 0.613 vs 0.616 in full, recall
          // 0.923 vs 0.885; clinc150 0.757 vs 0.740, 0.950 vs 0.950; ADR 0023)
          for (const k of ['purity', 'ari', 'precision', 'recall'] as const)
            expect(results.testIncremental[k], k).toBeGreaterThanOrEqual(floor[k])
          // filler removal gives back the clusters of the same questions written without filler
          // (bge-small, train/val, 4 samples each: 0.618–0.625 ARI on banking77 whatever the filler
          // share, 0.425 with filler on every question and kept; tune-gaps.ts' ablation, ADR 0016)
          expect(Math.abs(results.test.ari - results.testNoFiller.ari)).toBeLessThan(0.03)
          // the semantic model groups by meaning better than the lexical fallback
          expect(results.test.ari).toBeGreaterThan(results.testHashing.ari)
        },
      )
    }
  },
)

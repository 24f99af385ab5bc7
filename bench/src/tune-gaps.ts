// Chooses the knowledge-gap clustering parameters for an embedder on TRAIN and VAL only (test is
// read by pipelines/src/jobs/gap-quality.int.test.ts, never here). Run:
//   node --import tsx bench/src/tune-gaps.ts [bge-small|hashing]   (bge-small, the default embedder, when none)
// Scenario (pipelines/src/testing/gap-scenario.ts): a third of each data set's intents missing;
// 12 failed questions per missing intent, 2 per known intent (sporadic failures), 40 out-of-scope
// questions on CLINC150; a third of the questions wrapped in greetings and sign-offs. Three
// disjoint train samples and the val sample per data set. Vectors are cached in the temp dir.
//   1. cut: the average-linkage distance that maximises the mean adjusted Rand index over the
//      eight samples (purity, top-gap precision and recall printed beside it);
//   2. match: the centroid cosine above which two clusters are the same gap — same-intent
//      half-sample centroids (positives) vs other intents' centroids (negatives), balanced accuracy;
//   3. the same threshold read as question → accepted-gap assignment (the lift job): precision and
//      recall of assigning a question to its own intent's centroid;
// and, at the chosen cut, what filler removal does with no, a third, and all questions wrapped.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBgeSmallEmbedder, createLocalEmbedder, type Embedder } from '@luneo/models'
import { hasDataset, loadDataset, type DatasetName, type LabelledDataset } from '@luneo/models/testing'
import {
  adjustedRandIndex,
  centroid,
  clusterByThreshold,
  cosineSimilarity,
  purity,
  removeFiller,
  topGapAccuracy,
} from '@luneo/pipelines'
import { failedQuestionScenario, missingIntents, type GapScenario } from '@luneo/pipelines/testing'

const MIN_CLUSTER = 3
const which = process.argv[2] ?? 'bge-small'
if (which !== 'bge-small' && which !== 'hashing')
  throw new Error(`unknown embedder ${which}: bge-small or hashing`)
const embedder: Embedder = which === 'hashing' ? createLocalEmbedder() : await createBgeSmallEmbedder()
// BGE's cosines sit in a higher, narrower band than the hashing space's (unrelated questions
// ~0.4–0.55, paraphrases ~0.8–0.9): its cuts are small distances and its match similarities high,
// so it searches there, in finer steps. The hashing grids are the ones LEXICAL was chosen on.
const CUTS =
  which === 'bge-small' ? { from: 0.05, to: 0.5, step: 0.0125 } : { from: 0.3, to: 0.9, step: 0.025 }
const MATCHES = which === 'bge-small' ? { from: 0.6, to: 0.99 } : { from: 0.4, to: 0.9 }

interface Sample {
  name: string
  scenario: GapScenario
  vectors: number[][]
}

// Vectors of filler-free texts, cached on disk per embedder (a re-run takes seconds, not minutes).
const cacheFile = join(tmpdir(), `luneo-tune-gaps-${embedder.id.replace(/[^\w.-]/g, '_')}.bin`)
const cache = loadCache()

function loadCache(): Map<string, number[]> {
  const m = new Map<string, number[]>()
  if (!existsSync(cacheFile) || !existsSync(`${cacheFile}.json`)) return m
  const texts = JSON.parse(readFileSync(`${cacheFile}.json`, 'utf8')) as string[]
  const buf = readFileSync(cacheFile)
  const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4)
  texts.forEach((t, i) =>
    m.set(t, Array.from(all.subarray(i * embedder.dimension, (i + 1) * embedder.dimension))),
  )
  return m
}

function saveCache() {
  const texts = [...cache.keys()]
  const all = new Float32Array(texts.length * embedder.dimension)
  texts.forEach((t, i) => all.set(cache.get(t)!, i * embedder.dimension))
  writeFileSync(cacheFile, Buffer.from(all.buffer))
  writeFileSync(`${cacheFile}.json`, JSON.stringify(texts))
}

async function embed(texts: string[], strip = true): Promise<number[][]> {
  const clean = texts.map((t) => (strip ? removeFiller(t) || t : t))
  const todo = [...new Set(clean.filter((t) => !cache.has(t)))]
  if (todo.length) {
    const vs = await embedder.embed(todo)
    todo.forEach((t, i) => cache.set(t, vs[i]!))
    saveCache()
  }
  return clean.map((t) => cache.get(t)!)
}

async function samples(data: LabelledDataset): Promise<Sample[]> {
  const base = {
    perMissing: 12,
    perKnown: 2,
    outOfScope: data.name === 'clinc150' ? 40 : 0,
    fillerShare: 1 / 3,
  }
  const specs = [
    { name: `${data.name}/train@0`, ...base, split: 'train' as const, offset: 0 },
    { name: `${data.name}/train@20`, ...base, split: 'train' as const, offset: 20 },
    { name: `${data.name}/train@40`, ...base, split: 'train' as const, offset: 40 },
    { name: `${data.name}/val`, ...base, split: 'val' as const },
  ]
  const out: Sample[] = []
  for (const s of specs) {
    const scenario = failedQuestionScenario(data, s)
    out.push({ name: s.name, scenario, vectors: await embed(scenario.questions.map((q) => q.text)) })
  }
  return out
}

function evaluate(s: Sample, cut: number) {
  const clusters = clusterByThreshold(s.vectors, cut).map((c) =>
    c.map((i) => s.scenario.questions[i]!.intent),
  )
  const gaps = clusters.filter((c) => c.length >= MIN_CLUSTER)
  return {
    purity: purity(clusters),
    ari: adjustedRandIndex(clusters),
    clusters: clusters.length,
    ...topGapAccuracy(gaps, s.scenario.missing, s.scenario.missing.length),
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1)
const f = (x: number) => x.toFixed(3)

function chooseCut(all: Sample[]): number {
  let best = { cut: 0, ari: -1 }
  const sets = [...new Set(all.map((s) => s.name.split('/')[0]!))]
  console.log(`cut     ARI    purity precision recall (mean of all samples)  ARI of ${sets.join(' / ')}`)
  for (let cut = CUTS.from; cut <= CUTS.to + 1e-3; cut += CUTS.step) {
    const r = all.map((s) => evaluate(s, cut))
    const ari = mean(r.map((x) => x.ari))
    const perSet = sets.map((d) =>
      f(mean(r.filter((_, i) => all[i]!.name.startsWith(`${d}/`)).map((x) => x.ari))),
    )
    console.log(
      `${cut.toFixed(4)}  ${f(ari)}  ${f(mean(r.map((x) => x.purity)))}  ${f(mean(r.map((x) => x.precision)))}     ${f(mean(r.map((x) => x.recall)))}   ${perSet.join(' / ')}`,
    )
    if (ari > best.ari) best = { cut, ari }
  }
  return best.cut
}

/**
 * Gap identity as planGaps decides it: the stored gaps are clusters (6 questions) of the MISSING
 * intents; a new cluster (6 other questions) of every intent is matched to the nearest stored
 * centroid at or above `t`. Same = a missing intent's cluster lands on its own gap; false = a known
 * intent's cluster lands on some gap (it would be merged into, or suppressed by, another topic).
 */
function identity(data: LabelledDataset, split: 'train' | 'val', v: Map<string, number[]>) {
  const { missing } = missingIntents(data)
  const halves = data.intents.flatMap((intent) => {
    const xs = data[split].filter((r) => r.intent === intent).slice(0, 12)
    if (xs.length < 12) return []
    const c = (rs: typeof xs) => centroid(rs.map((r) => v.get(r.text)!))
    return [{ intent, fresh: c(xs.slice(0, 6)), stored: c(xs.slice(6)) }]
  })
  const stored = halves.filter((h) => missing.includes(h.intent))
  return (t: number) => {
    let same = 0
    let sameN = 0
    let wrong = 0
    let wrongN = 0
    for (const h of halves) {
      let best: { intent: string; s: number } | null = null
      for (const g of stored) {
        const s = cosineSimilarity(h.fresh, g.stored)
        if (s >= t && (!best || s > best.s)) best = { intent: g.intent, s }
      }
      if (missing.includes(h.intent)) {
        sameN += 1
        if (best?.intent === h.intent) same += 1
      } else {
        wrongN += 1
        if (best) wrong += 1
      }
    }
    const tpr = same / Math.max(sameN, 1)
    const fpr = wrong / Math.max(wrongN, 1)
    return { tpr, fpr, balanced: (tpr + 1 - fpr) / 2 }
  }
}

/** Questions of missing intents → their own intent's centroid (12 train questions); known ones → none. */
function assignment(data: LabelledDataset, split: 'train' | 'val', v: Map<string, number[]>, t: number) {
  const { missing } = missingIntents(data)
  const gaps = missing.map((intent) => ({
    intent,
    c: centroid(
      data.train
        .filter((r) => r.intent === intent)
        .slice(60, 72)
        .map((r) => v.get(r.text)!),
    ),
  }))
  let right = 0
  let assigned = 0
  let relevant = 0
  for (const r of evaluationRows(data, split)) {
    const vec = v.get(r.text)!
    let best: { intent: string; s: number } | null = null
    for (const g of gaps) {
      const s = cosineSimilarity(vec, g.c)
      if (s >= t && (!best || s > best.s)) best = { intent: g.intent, s }
    }
    if (missing.includes(r.intent)) relevant += 1
    if (best) {
      assigned += 1
      if (best.intent === r.intent) right += 1
    }
  }
  return { precision: right / Math.max(assigned, 1), recall: right / Math.max(relevant, 1) }
}

/** Rows an assignment is checked on: val, or train rows 80–99 of each intent (not the centroids' 60–71). */
function evaluationRows(data: LabelledDataset, split: 'train' | 'val') {
  if (split === 'val') return data.val
  return data.intents.flatMap((i) => data.train.filter((r) => r.intent === i).slice(80, 100))
}

async function vectorsOf(data: LabelledDataset): Promise<Map<string, number[]>> {
  const train = data.intents.flatMap((i) => data.train.filter((r) => r.intent === i).slice(0, 100))
  const texts = [...new Set([...train.map((r) => r.text), ...data.val.map((r) => r.text)])]
  const vs = await embed(texts)
  return new Map(texts.map((t, i) => [t, vs[i]!]))
}

const names: DatasetName[] = ['banking77', 'clinc150']
const datasets = names.filter(hasDataset).map(loadDataset)
console.log(`embedder ${embedder.id}; data sets: ${datasets.map((d) => d.name).join(', ')}`)
const all: Sample[] = []
for (const d of datasets) all.push(...(await samples(d)))
const cut = chooseCut(all)
console.log(`\nchosen cut ${cut.toFixed(4)} (highest mean ARI over train+val samples); per sample:`)
for (const s of all) {
  const r = evaluate(s, cut)
  console.log(
    `  ${s.name.padEnd(20)} n=${s.scenario.questions.length} clusters=${r.clusters} purity=${f(r.purity)} ARI=${f(r.ari)} precision=${f(r.precision)} recall=${f(r.recall)}`,
  )
}

console.log(`\nfiller removal at cut ${cut.toFixed(4)} (mean of the 4 samples per data set):`)
for (const d of datasets)
  for (const fillerShare of [0, 1 / 3, 1])
    for (const strip of [true, false]) {
      const r: ReturnType<typeof evaluate>[] = []
      for (const [split, offset] of [
        ['train', 0],
        ['train', 20],
        ['train', 40],
        ['val', 0],
      ] as const) {
        const scenario = failedQuestionScenario(d, {
          perMissing: 12,
          perKnown: 2,
          outOfScope: d.name === 'clinc150' ? 40 : 0,
          fillerShare,
          split,
          offset,
        })
        const vectors = await embed(
          scenario.questions.map((q) => q.text),
          strip,
        )
        r.push(evaluate({ name: d.name, scenario, vectors }, cut))
      }
      console.log(
        `  ${d.name} filler on ${(fillerShare * 100).toFixed(0)} % ${strip ? 'removed' : 'kept   '}: ARI ${f(mean(r.map((x) => x.ari)))} purity ${f(mean(r.map((x) => x.purity)))} precision ${f(mean(r.map((x) => x.precision)))} recall ${f(mean(r.map((x) => x.recall)))}`,
      )
    }

console.log('\nmatch similarity (a new cluster → the nearest stored gap), train and val:')
const vecs = new Map<string, Map<string, number[]>>()
const curves: { name: string; at: ReturnType<typeof identity> }[] = []
for (const d of datasets) {
  const v = await vectorsOf(d)
  vecs.set(d.name, v)
  for (const split of ['train', 'val'] as const)
    curves.push({ name: `${d.name}/${split}`, at: identity(d, split, v) })
}
let match = { t: 0, balanced: 0 }
for (let t = MATCHES.from; t <= MATCHES.to + 1e-3; t += 0.01) {
  const b = mean(curves.map((c) => c.at(t).balanced))
  if (b > match.balanced) match = { t, balanced: b }
}
for (const t of [match.t - 0.1, match.t - 0.05, match.t, match.t + 0.05])
  console.log(
    `  t=${t.toFixed(2)} mean balanced ${f(mean(curves.map((c) => c.at(t).balanced)))}: ` +
      curves.map((c) => `${c.name} same ${f(c.at(t).tpr)} false ${f(c.at(t).fpr)}`).join(', '),
  )
console.log(`chosen match similarity ${match.t.toFixed(2)} (highest mean balanced accuracy)`)
console.log('\nthe same threshold as question → accepted gap (lift assignment):')
for (const d of datasets)
  for (const split of ['train', 'val'] as const)
    for (const t of [match.t - 0.05, match.t, match.t + 0.05]) {
      const a = assignment(d, split, vecs.get(d.name)!, t)
      console.log(`  ${d.name}/${split} t=${t.toFixed(2)} precision ${f(a.precision)} recall ${f(a.recall)}`)
    }
await embedder.close?.()

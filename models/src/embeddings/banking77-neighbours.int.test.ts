import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseLabelledCsv } from '../intents/csv.js'
import type { Embedder } from './embedder.js'
import { createLocalEmbedder } from './local-embedder.js'
import { createBgeSmallEmbedder, hasBgeSmallModel } from './bge-embedder.js'

// Retrieval quality of each embedder on real customer questions: every banking77 test question
// looks up its nearest labelled question among 13 train questions per intent (1,001); top-1 is
// the share whose neighbour has the same intent. The dataset is read in place beside the repo.
const dir = path.resolve(import.meta.dirname, '../../../../shared/datasets/banking77')
const hasData = existsSync(path.join(dir, 'train.csv')) && existsSync(path.join(dir, 'test.csv'))
if (!hasData) console.warn(`banking77 nearest-neighbour check skipped: dataset not found at ${dir}`)
if (!hasBgeSmallModel())
  console.warn('banking77 nearest-neighbour check: bge-small skipped (make install fetches it)')

const PER_INTENT = 13

async function top1(embedder: Embedder): Promise<number> {
  const train = parseLabelledCsv(readFileSync(path.join(dir, 'train.csv'), 'utf8'))
  const test = parseLabelledCsv(readFileSync(path.join(dir, 'test.csv'), 'utf8'))
  const intents = [...new Set(train.map((r) => r.intent))].sort()
  const index = intents.flatMap((i) => train.filter((r) => r.intent === i).slice(0, PER_INTENT))
  const iv = (await embedder.embed(index.map((r) => r.text))).map((v) => Float32Array.from(v))
  const qv = (await embedder.embed(test.map((r) => r.text))).map((v) => Float32Array.from(v))
  let correct = 0
  qv.forEach((q, k) => {
    let best = -Infinity
    let at = 0
    // Unit vectors: the dot product is the cosine.
    iv.forEach((v, j) => {
      let dot = 0
      for (let d = 0; d < q.length; d++) dot += q[d]! * v[d]!
      if (dot > best) [best, at] = [dot, j]
    })
    if (index[at]!.intent === test[k]!.intent) correct += 1
  })
  return correct / test.length
}

describe.skipIf(!hasData)('banking77 nearest-neighbour top-1', () => {
  it('hashing embedder', async () => {
    const score = await top1(createLocalEmbedder())
    console.log(`BANKING77_NN hashing top1=${score.toFixed(4)}`)
    expect(score).toBeGreaterThan(0.65)
  })

  it.skipIf(!hasBgeSmallModel())('bge-small embedder beats it', { timeout: 180_000 }, async () => {
    const embedder = await createBgeSmallEmbedder()
    try {
      const score = await top1(embedder)
      console.log(`BANKING77_NN bge-small top1=${score.toFixed(4)}`)
      expect(score).toBeGreaterThan(0.8)
    } finally {
      await embedder.close?.()
    }
  })
})

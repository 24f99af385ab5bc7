import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalEmbedder, phrasingTightness } from '@luneo/models'
import { startChroma, type ChromaProcess } from './chroma-process.js'
import { createChromaStore, type VectorStore } from './vector-store.js'

// The phrasing-tightness feature (ADR 0015) reads the candidates' phrasing vectors back from the
// store: the tightness the knowledge index computes from them must be the one the calibration's
// simulation computes from the embedder's vectors, or the fitted weight reads another number.
const embedder = createLocalEmbedder()
let dir: string
let chroma: ChromaProcess | null = null
let store: VectorStore

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'luneo-vectors-'))
  const url = process.env.CHROMA_URL || (chroma = await startChroma(join(dir, 'chroma'))).url
  store = createChromaStore(url, embedder)
})
afterAll(async () => {
  await chroma?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('vectors of chunks', () => {
  it('returns every vector of the chunks asked, phrasings included, with itself', async () => {
    const org = crypto.randomUUID()
    const kb = crypto.randomUUID()
    const doc = crypto.randomUUID()
    const questions = ['Can I return an item?', 'How do I send something back?', 'Where is my refund?']
    await store.replaceDocument(
      org,
      kb,
      doc,
      [{ id: `${doc}:0`, documentId: doc, title: 'Returns', text: 'Return any item within 30 days.' }],
      questions,
    )
    const [query] = await embedder.embed(['return policy'])
    const hits = await store.vectorsOf(org, kb, [`${doc}:0`], query!)
    expect(hits.map((h) => h.phrasing).sort()).toEqual([false, true, true, true])
    for (const h of hits) expect(h.vector).toHaveLength(embedder.dimension)
    const read = phrasingTightness(hits.filter((h) => h.phrasing).map((h) => h.vector!))
    expect(read).not.toBeNull()
    expect(read!).toBeCloseTo(phrasingTightness(await embedder.embed(questions))!, 5)
    // another organization's question reads nothing of it
    expect(await store.vectorsOf(crypto.randomUUID(), kb, [`${doc}:0`], query!)).toEqual([])
  })
})

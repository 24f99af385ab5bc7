import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '@luneo/warehouse/testing'
import { as, createKey, signup, startTestApp, type TestApp } from '../testing/harness.js'
import { PrivacyWorker } from '../privacy/privacy-worker.js'
import { chromaDocumentIds } from '../testing/store-search.js'
import { startChroma, type ChromaProcess } from './chroma-process.js'

// A document deleted while Chroma is down leaves the index when Chroma is back. A real Chroma
// server of this file's own (the suite's shared one must not be stopped), on a fixed port so the
// app's client points at it across the restart; stopped for real (process gone), then started
// again on the same data directory.

const dir = tempDir('luneo-vecdel-')
let chroma: ChromaProcess | null = null
let port: number
let t: TestApp
let key: string

const chromaIds = (kb: string) => chromaDocumentIds(chroma!.url, kb)

beforeAll(async () => {
  chroma = await startChroma(`${dir.path}/chroma`)
  port = Number(new URL(chroma.url).port)
  t = await startTestApp({ chromaUrl: chroma.url })
  key = await createKey(t.app, await signup(t.app, 'ecommerce'), ['admin'])
}, 120_000)
afterAll(async () => {
  await t?.close()
  await chroma?.stop()
  dir.remove()
})

async function post(url: string, payload: object) {
  const r = await t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(key), payload })
  if (r.statusCode !== 201) throw new Error(`${url}: ${r.statusCode} ${r.body}`)
  return r.json().id as string
}

describe('deleting a document while Chroma is down', () => {
  it('records the deletion and removes the vectors once Chroma is back', async () => {
    const kb = await post('/knowledge-bases', { name: 'Policies' })
    const gone = await post(`/knowledge-bases/${kb}/documents`, {
      title: 'Returns',
      text: 'Returns within 30 days.',
    })
    const stays = await post(`/knowledge-bases/${kb}/documents`, {
      title: 'Shipping',
      text: 'We ship in 2 days.',
    })
    expect(new Set(await chromaIds(kb))).toEqual(new Set([gone, stays]))

    await chroma!.stop()
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/knowledge-bases/${kb}/documents/${gone}`,
      headers: as(key),
    })
    expect(del.statusCode).toBe(204) // Postgres is the source of truth: the delete succeeds
    const pending = await t.deps.db.selectFrom('vector_deletions').selectAll().execute()
    expect(pending).toMatchObject([{ knowledge_base_id: kb, document_id: gone, attempts: 1 }])

    // Still down: a pass fails, the record stays, one more attempt counted.
    const worker = new PrivacyWorker(t.deps)
    expect(await worker.runOnce()).toEqual({ erasures: 0, vectorDeletions: 0 })
    expect(await t.deps.db.selectFrom('vector_deletions').select('attempts').execute()).toEqual([
      { attempts: 2 },
    ])

    chroma = await startChroma(`${dir.path}/chroma`, 30_000, port)
    // The vectors survived the restart (same data directory): the deleted document's are still there.
    expect(new Set(await chromaIds(kb))).toEqual(new Set([gone, stays]))
    expect(await worker.runOnce()).toEqual({ erasures: 0, vectorDeletions: 1 })
    expect(await chromaIds(kb)).toEqual([stays])
    expect(await t.deps.db.selectFrom('vector_deletions').selectAll().execute()).toEqual([])
  })

  it('clears the record at once when Chroma is up', async () => {
    const kb = await post('/knowledge-bases', { name: 'More' })
    const doc = await post(`/knowledge-bases/${kb}/documents`, { title: 'Hours', text: 'Open 9 to 5.' })
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/knowledge-bases/${kb}/documents/${doc}`,
      headers: as(key),
    })
    expect(del.statusCode).toBe(204)
    expect(await chromaIds(kb)).toEqual([])
    expect(await t.deps.db.selectFrom('vector_deletions').selectAll().execute()).toEqual([])
  })
})

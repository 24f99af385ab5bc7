import { CONVERSATION_TABLES, insertGap, newId } from '@luneo/warehouse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, createKey, signup, startTestApp, type Session, type TestApp } from '../testing/harness.js'
import { runPendingErasures } from './erasure-steps.js'
import {
  chromaIdsOfDocument,
  clickHouseRowsOf,
  searchChroma,
  searchClickHouse,
  searchPostgres,
} from '../testing/store-search.js'

// An erasure request removes one person from every store, and only them: afterwards every text
// column of every Postgres table, every String column of every ClickHouse table and every
// document and metadata of every Chroma collection is searched for their name, email and words,
// and finds nothing; another contact's conversation is intact. The same search before the erasure
// finds them in each store (so the search is one that can fail). Chroma: the suite's server when
// CHROMA_URL is set (`infra/services.sh up chroma`), else a child of this file.

const ERASED = {
  name: 'Zebulon Quartermaine',
  email: 'zebulon.q@example.org',
  words: 'my zeppelin order QX7781 never reached the lighthouse',
  comment: 'the courier was rude at the lighthouse gate',
}
const KEPT = {
  name: 'Ottilie Brandvold',
  email: 'ottilie@example.net',
  words: 'where is my umbrella order UB5512',
}

let t: TestApp
let owner: Session
let key: string
let agentId: string

async function post(url: string, payload?: object) {
  const r = await t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(key), payload })
  if (r.statusCode >= 300) throw new Error(`${url}: ${r.statusCode} ${r.body}`)
  return r.json()
}

/** A conversation of a contact: two customer messages through the engine, feedback and an outcome. */
async function converse(contact: { name: string; email: string }, words: string, comment: string) {
  const c = await post('/conversations', {
    agentId,
    channel: 'api',
    contact: { name: contact.name, email: contact.email },
  })
  await post(`/conversations/${c.id}/messages`, { text: words })
  await post(`/conversations/${c.id}/messages`, { text: `${words}. You can write to ${contact.email}` })
  await post(`/conversations/${c.id}/feedback`, { rating: 'negative', comment })
  await post(`/conversations/${c.id}/outcome`, { type: 'handoff' })
  const read = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${c.id}`, headers: as(key) })
  return { conversationId: c.id as string, contactId: read.json().contactId as string }
}

let erased: { conversationId: string; contactId: string }
let kept: { conversationId: string; contactId: string }
const needles = [ERASED.name, ERASED.email, 'QX7781', 'zeppelin', ERASED.comment]

/** The accepted gap's document: both people's questions are its FAQ phrasings. */
let documentId: string

beforeAll(async () => {
  t = await startTestApp()
  owner = await signup(t.app, 'ecommerce')
  key = await createKey(t.app, owner, ['admin', 'conversations:write'])
  agentId = (await post('/agents', { name: 'Shop bot', knowledgeBaseIds: [] })).id
  erased = await converse(ERASED, ERASED.words, ERASED.comment)
  kept = await converse(KEPT, KEPT.words, 'fine')
  // Their words taught the classifier, and became an accepted knowledge gap: a document indexed
  // in Chroma whose FAQ phrasings quote them.
  await post('/intent-corrections', { text: ERASED.words, intent: 'order_status' })
  const gap = newId()
  await insertGap(t.deps.db, {
    id: gap,
    organization_id: owner.organizationId,
    label: ERASED.words,
    score: 3,
    volume: 2,
    escalations: 0,
    last_seen_at: new Date(),
    centroid: [1, 0],
    embedder: 'test-space',
    examples: [ERASED.words, KEPT.words],
    member_ids: [newId(), newId()],
    drafted_answer: null,
  })
  documentId = (
    await post(`/analytics/knowledge-gaps/${gap}/accept`, { answer: 'Parcels arrive within five days.' })
  ).documentId
  await t.drainer.drainAll()
  await post('/analytics/refresh') // reply signals (the question text) and conversation outcomes
}, 120_000)
afterAll(async () => t?.close())

describe('erasing a contact', () => {
  it('finds the person in every store before (the search can fail)', async () => {
    const pg = await searchPostgres(t.deps.db, needles)
    expect(new Set(pg.map((h) => h.where.split('.')[0]))).toEqual(
      new Set([
        'contacts',
        'messages',
        'feedback',
        'outbox',
        'intent_corrections',
        'knowledge_gaps',
        'knowledge_documents', // the accepted gap's FAQ phrasings (not its chunks' text)
        'conversations', // the engine's memory of the last customer text
      ]),
    )
    const ch = await searchClickHouse(t.deps.ch, needles)
    expect(new Set(ch.map((h) => h.where))).toEqual(
      // gap_candidates_v1: the failed question as the knowledge-gap job processed it (ADR 0023)
      new Set([
        'events.payload',
        'messages_v1.text',
        'reply_signals_v1.question',
        'gap_candidates_v1.question',
      ]),
    )
    expect((await searchChroma(t.chromaUrl, needles)).length).toBeGreaterThan(0)
    expect(
      (await chromaIdsOfDocument(t.chromaUrl, documentId)).filter((id) => id.includes(':q')),
    ).toHaveLength(2)
  })

  it('removes them from Postgres, ClickHouse and Chroma, audited without their data', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/${erased.contactId}/erasure`,
      headers: as(owner),
    })
    expect(res.statusCode, res.body).toBe(202)
    const request = res.json()
    expect(request).toMatchObject({ status: 'pending', progress: 0, contactId: erased.contactId })
    // A second ask while it runs joins it.
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/${erased.contactId}/erasure`,
      headers: as(key),
    })
    expect(again.json().id).toBe(request.id)

    // The worker's passes, by hand: the ClickHouse step waits for the outbox to catch up.
    for (let pass = 0; pass < 5; pass++) {
      await t.drainer.drainAll()
      if ((await runPendingErasures(t.deps)) > 0) break
    }
    await t.drainer.drainAll()
    const status = await t.app.inject({
      method: 'GET',
      url: `/api/v1/erasure-requests/${request.id}`,
      headers: as(key),
    })
    expect(status.json()).toMatchObject({
      status: 'done',
      progress: 1,
      counts: {
        contacts: 1,
        conversations: 1,
        messages: 4,
        intentCorrections: 1,
        knowledgeGaps: 1,
        documents: 1,
      },
    })

    expect(await searchPostgres(t.deps.db, needles)).toEqual([])
    expect(await searchClickHouse(t.deps.ch, needles)).toEqual([])
    expect(await searchChroma(t.chromaUrl, needles)).toEqual([])
    const rows = await clickHouseRowsOf(t.deps.ch, CONVERSATION_TABLES, 'conversation_id', [
      erased.conversationId,
    ])
    expect(
      Object.values(rows).every((n) => n === 0),
      JSON.stringify(rows),
    ).toBe(true)

    // Audited: the request and the completion, and a contact.erased event in ClickHouse (counts only).
    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit-log?limit=200', headers: as(key) })
    const actions = audit.json().items.map((a: { action: string }) => a.action)
    expect(actions).toEqual(expect.arrayContaining(['contact.erasure_requested', 'contact.erased']))
    const ev = await t.deps.ch.query({
      query: "SELECT payload FROM events WHERE type = 'contact.erased'",
      format: 'JSONEachRow',
    })
    const [event] = await ev.json<{ payload: string }>()
    expect(JSON.parse(event!.payload)).toEqual({
      erasureRequestId: request.id,
      conversations: 1,
      messages: 4,
    })
  })

  it('leaves the other contact’s data where it was', async () => {
    const c = await t.app.inject({
      method: 'GET',
      url: `/api/v1/conversations/${kept.conversationId}`,
      headers: as(key),
    })
    expect(c.statusCode).toBe(200)
    expect(c.json().contact).toMatchObject({ name: KEPT.name, email: KEPT.email })
    expect(c.json().messages.filter((m: { role: string }) => m.role === 'customer')).toHaveLength(2)
    const keptNeedles = [KEPT.name, 'UB5512']
    expect(new Set((await searchPostgres(t.deps.db, keptNeedles)).map((h) => h.where))).toEqual(
      new Set([
        'contacts.name',
        'messages.text',
        'conversations.memory',
        'tasks.details', // the order lookup the engine opened
        'outbox.envelope',
        'knowledge_gaps.examples',
        'knowledge_documents.questions',
      ]),
    )
    expect((await searchClickHouse(t.deps.ch, ['UB5512'])).length).toBeGreaterThan(0)
    // Chroma keeps vectors, not phrasing texts: the kept person's phrasing is the one vector left.
    expect(
      (await chromaIdsOfDocument(t.chromaUrl, documentId)).filter((id) => id.includes(':q')),
    ).toHaveLength(1)
  })

  it('shows its progress, and waits for the outbox before deleting in ClickHouse', async () => {
    const third = await converse(
      { name: 'Third Person', email: 'third@example.com' },
      'a question of mine',
      'ok',
    )
    await t.drainer.drainAll()
    // Another contact's event, not yet moved by the drainer: the ClickHouse step must wait for it.
    await post(`/conversations/${kept.conversationId}/messages`, { text: 'and one more thing' })
    const r = await post(`/contacts/${third.contactId}/erasure`)
    expect(await runPendingErasures(t.deps)).toBe(0)
    const read = async () =>
      (
        await t.app.inject({ method: 'GET', url: `/api/v1/erasure-requests/${r.id}`, headers: as(key) })
      ).json()
    expect(await read()).toMatchObject({
      status: 'running',
      progress: 1 / 3,
      steps: [
        { step: 'postgres', done: true },
        { step: 'clickhouse', done: false },
        { step: 'vectors', done: false },
      ],
      attempts: 0, // waiting is not a failure
    })
    const rows = () => clickHouseRowsOf(t.deps.ch, ['events'], 'conversation_id', [third.conversationId])
    expect((await rows()).events).toBeGreaterThan(0)
    await t.drainer.drainAll()
    expect(await runPendingErasures(t.deps)).toBe(1)
    expect(await read()).toMatchObject({ status: 'done', progress: 1 })
    expect((await rows()).events).toBe(0)
  })

  it('takes a request by email, any case, for the contact it names', async () => {
    const fourth = await converse(
      { name: 'Fourth Person', email: 'fourth@example.com' },
      'my fourth question',
      'ok',
    )
    const r = await post('/contacts/erasure', { email: 'FOURTH@Example.com' })
    expect(r).toMatchObject({ contactId: fourth.contactId, status: 'pending' })
    await t.drainer.drainAll()
    expect(await runPendingErasures(t.deps)).toBe(1)
    expect(
      await searchPostgres(t.deps.db, ['Fourth Person', 'fourth@example.com', 'my fourth question']),
    ).toEqual([])
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contacts/erasure',
      headers: as(key),
      payload: { email: 'nobody@example.com' },
    })
    expect(unknown.statusCode).toBe(404)
  })

  it('answers 404 for a contact that is gone (nothing is written)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/${erased.contactId}/erasure`,
      headers: as(key),
    })
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('not_found')
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalEmbedder, createLocalProvider, createOpenAIProvider } from '@luneo/models'
import { startFakeOpenAI, type FakeOpenAI } from '@luneo/models/testing'
import {
  chDateTime,
  gapsForMatching,
  insertOrganization,
  migratePostgres,
  migratePostgresDown,
  newId,
  updateOrganizationRoi,
  type ClickHouseHandle,
  type PostgresHandle,
} from '@luneo/warehouse'
import { openTestClickHouse, openTestPostgres } from '@luneo/warehouse/testing'
import type { PipelineDeps } from '../runner/job.js'
import { insertFailedReply } from '../testing/failed-reply.js'
import { runJob } from '../runner/run.js'
import { topicEmbedder } from '../testing/topic-embedder.js'
import { centroid } from './clustering.js'
import { knowledgeGaps } from './knowledge-gaps.job.js'

// knowledge_gaps_v1 on real Postgres and ClickHouse, with the topic-word embedder
// (../testing/topic-embedder.ts): the upgrade of gaps stored before embedders were recorded,
// titles from a configured model (the fake OpenAI server), and the cost ranking.

const H = 3600 * 1000
const DAY = 24 * H
const NOW = Date.now()

let pg: PostgresHandle
let ch: ClickHouseHandle
let fake: FakeOpenAI

const failed = (org: string, at: number, question: string, escalated = 0, conversationId = newId()) =>
  insertFailedReply(ch.ch, { organizationId: org, at, question, escalated, conversationId })

const deps = (over: Partial<PipelineDeps> = {}): PipelineDeps => ({
  db: pg.db,
  ch: ch.ch,
  embedder: topicEmbedder,
  provider: createLocalProvider(),
  ...over,
})

beforeAll(async () => {
  pg = await openTestPostgres()
  ch = await openTestClickHouse()
  fake = await startFakeOpenAI()
})
afterAll(async () => {
  await fake?.close()
  await ch?.close()
  await pg?.close()
})

describe('knowledge_gaps_v1', () => {
  it('re-embeds a gap stored before embedders were recorded (a data dir from before 0007): same id, grown', async () => {
    const org = newId()
    // The database as it was: migrations up to 0004, a gap whose centroid the hashing embedder made.
    await migratePostgresDown(pg.db, '0004_document_questions')
    await insertOrganization(pg.db, { id: org, name: 'Old shop', vertical: 'ecommerce' })
    const old = ['Do you sell gift cards?', 'gift card for my friend', 'how do gift cards work']
    const members = await Promise.all(old.map((q, i) => failed(org, NOW - (10 + i) * DAY, q)))
    const gapId = newId()
    const hashed = centroid(await createLocalEmbedder().embed(old))
    await pg.db
      .insertInto('knowledge_gaps')
      .values({
        id: gapId,
        organization_id: org,
        label: 'gift, card, cards — “Do you sell gift cards?”',
        score: 3,
        volume: 3,
        escalations: 0,
        last_seen_at: new Date(NOW - 10 * DAY),
        centroid: JSON.stringify(hashed),
        examples: JSON.stringify(old),
        member_ids: JSON.stringify(members),
        drafted_answer: null,
      })
      .execute()
    await migratePostgres(pg.db)
    expect((await gapsForMatching(pg.db, org))[0]).toMatchObject({ embedder: null })
    expect(hashed).toHaveLength(512)

    // New failed questions on the same topic, then a run on another (3-d) embedder.
    for (const q of ['Quick question: gift cards?', 'gift card balance', 'buy a gift card'])
      await failed(org, NOW - DAY, q)
    await runJob(deps(), knowledgeGaps, { organizationId: org, now: new Date(NOW) })
    const gaps = await gapsForMatching(pg.db, org)
    expect(gaps).toHaveLength(1)
    expect(gaps[0]).toMatchObject({ id: gapId, embedder: topicEmbedder.id, volume: 6, centroid: [1, 0, 0] })
  })

  it('titles a new gap with the configured model, and never with a keyword list', async () => {
    const org = newId()
    await insertOrganization(pg.db, { id: org, name: 'Shop', vertical: 'ecommerce' })
    for (const q of ['Do you sell gift cards?', 'Hi! gift card for a friend?', 'how do gift cards work'])
      await failed(org, NOW - DAY, q)
    for (const q of ['do you ship to Norway?', 'shipping to Canada?', 'ship abroad?'])
      await failed(org, NOW - DAY, q)
    const titles: Record<string, string> = { gift: 'Buying gift cards', ship: 'ship, abroad, norway' }
    fake.setReply((body: { messages: { content: string }[] }) => {
      const system = body.messages[0]?.content ?? ''
      if (!system.startsWith('You name topics')) return 'A drafted answer.'
      // the questions travel as the context, in the system message
      return /gift/.test(system) ? titles.gift! : titles.ship!
    })
    const provider = createOpenAIProvider({ baseURL: fake.baseURL, apiKey: 'test', maxRetries: 0 })
    await runJob(deps({ provider, model: 'gpt-4o-mini' }), knowledgeGaps, {
      organizationId: org,
      now: new Date(NOW),
    })
    const labels = (await gapsForMatching(pg.db, org)).map((g) => g.label).sort()
    // the model's keyword list is refused: the most central question, filler removed, instead
    expect(labels).toEqual(['Buying gift cards', 'Do you ship to Norway?'])
    const asked = fake.requests.filter((r) => r.body?.messages?.[0]?.content?.startsWith('You name topics'))
    expect(asked).toHaveLength(2)
    expect(asked[0]!.body.model).toBe('gpt-4o-mini')
  })

  it('without an answer from the model, the title is the most central question', async () => {
    const org = newId()
    await insertOrganization(pg.db, { id: org, name: 'Shop', vertical: 'ecommerce' })
    for (const q of ['Quick question: do you sell gift cards?', 'gift cards?', 'gift cards for sale?'])
      await failed(org, NOW - DAY, q)
    fake.failNext(2, 503) // the title's request, then the draft's
    const provider = createOpenAIProvider({ baseURL: fake.baseURL, apiKey: 'test', maxRetries: 0 })
    await runJob(deps({ provider, model: 'gpt-4o-mini' }), knowledgeGaps, {
      organizationId: org,
      now: new Date(NOW),
    })
    const [gap] = await gapsForMatching(pg.db, org)
    expect(gap!.examples).toContain(gap!.label.charAt(0).toLowerCase() + gap!.label.slice(1))
    expect(gap!.label).not.toMatch(/quick question/i)
    expect(gap!.drafted_answer).toMatch(/^\[To complete\]/)
  })

  it('clusters questions sent before its last run that reached ClickHouse after it', async () => {
    const org = newId()
    await insertOrganization(pg.db, { id: org, name: 'Shop', vertical: 'ecommerce' })
    const run = (at: number) => runJob(deps(), knowledgeGaps, { organizationId: org, now: new Date(at) })
    await run(NOW) // the last run: nothing failed yet in ClickHouse
    // Three questions asked an hour before that run, still in the outbox while it ran: their
    // signals and events land afterwards (the events' ingested_at is when they arrived).
    for (const q of ['gift wrap?', 'do you gift wrap', 'gift wrapping please']) {
      const conversation = newId()
      await failed(org, NOW - H, q, 0, conversation)
      await ch.ch.insert({
        table: 'events',
        values: [
          {
            id: newId(),
            type: 'reply.sent',
            version: 1,
            organization_id: org,
            occurred_at: chDateTime(NOW - H),
            conversation_id: conversation,
            vertical: 'ecommerce',
            correlation_id: 'c',
            payload: '{}',
            ingested_at: chDateTime(NOW + 60_000),
          },
        ],
        format: 'JSONEachRow',
      })
    }
    const [report] = await run(NOW + 5 * 60_000)
    expect(report!.rowsIn).toBe(3)
    const gaps = await gapsForMatching(pg.db, org)
    expect(gaps.map((g) => g.volume)).toEqual([3])
  })

  it('ranks by volume × recency × (1 + escalations × minutes ÷ 60 × hourly cost), with the organization’s assumptions', async () => {
    const org = newId()
    await insertOrganization(pg.db, { id: org, name: 'Shop', vertical: 'ecommerce' })
    await updateOrganizationRoi(pg.db, org, { minutes_per_conversation: 12, hourly_cost: 40 })
    // gift: 5 questions, none escalated, last one 7 days ago → 5 × 0.5 × 1 = 2.5
    for (let i = 0; i < 5; i++) await failed(org, NOW - (7 + i) * DAY, `gift card question ${i}`)
    // shipping: 3 questions, 2 escalated (2 × 12 ÷ 60 × 40 = 16), the last one now → 3 × 1 × 17 = 51
    await failed(org, NOW, 'where is my shipping', 1)
    await failed(org, NOW - H, 'shipping late', 1)
    await failed(org, NOW - 2 * H, 'shipping status')
    // the window ends 1 ms after the last question ([from, to)): recency 0.5^(1 ms / 7 days) ≈ 1
    await runJob(deps(), knowledgeGaps, { organizationId: org, now: new Date(NOW + 1) })
    const gaps = await gapsForMatching(pg.db, org)
    const score = (topic: RegExp) => gaps.find((g) => topic.test(g.examples[0]!))!.score
    expect(score(/shipping/)).toBeCloseTo(51, 6)
    expect(score(/gift/)).toBeCloseTo(2.5, 6)
  })
})

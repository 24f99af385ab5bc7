import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getGap } from '@luneo/warehouse'
import { organizationJobs, runJobs } from '@luneo/pipelines'
import { pipelineDeps } from './wiring/pipelines.js'
import {
  faqDocument,
  hasBanking77,
  loadBanking77,
  splitIntents,
  type Banking77,
} from './testing/banking77.js'
import { as, createKey, signup, startTestApp, type TestApp } from './testing/harness.js'

// The flywheel, end to end (DESIGN §7): a knowledge base built from 60 of the 77 banking77
// intents; real customer questions from train.csv go through the API; the pipelines must surface
// the 17 missing intents as the top-ranked knowledge gaps; a person accepts them (here with an
// answer written like the FAQ entries); a fresh batch from test.csv must be answered more often.

if (!hasBanking77) console.warn('flywheel test skipped: ../shared/datasets/banking77 is absent')

const HELD_OUT = 17
// Sample sizes keep the run near a minute on 2 cores: ~380 + ~320 conversations.
const FIRST = { missing: 16, known: 3 }
const FRESH = { missing: 8, known: 3 }
const FAQ_EXAMPLES = 6 // faqDocument quotes the first 6 train questions of an intent: never ask those

let t: TestApp
let key: string
let orgId: string
let agent: string
let data: Banking77
let known: string[]
let missing: string[]

const post = (url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(key), payload })

interface Asked {
  intent: string
  replyId: string
  grounded: boolean
  /** Grounded on the FAQ entry of the customer's own topic (what a customer would accept). */
  right: boolean
}

/**
 * Each question in its own conversation. A customer who gets an answer about another topic
 * says so with a thumbs-down (the negative-feedback signal), as people do with wrong answers.
 */
async function askAll(rows: { text: string; intent: string }[]): Promise<Asked[]> {
  const out: Asked[] = []
  for (const q of rows) {
    const c = (await post('/conversations', { agentId: agent, channel: 'api' })).json().id
    const r = await post(`/conversations/${c}/messages`, { text: q.text })
    expect(r.statusCode, r.body).toBe(201)
    const reply = r.json<{ replyId: string; grounded: boolean; sources: { title: string }[] }>()
    const right = reply.grounded && reply.sources[0]?.title === faqDocument(q.intent, []).title
    if (reply.grounded && !right)
      expect((await post(`/conversations/${c}/feedback`, { rating: 'negative' })).statusCode).toBe(201)
    out.push({ intent: q.intent, replyId: reply.replyId, grounded: reply.grounded, right })
  }
  return out
}

const pick = (rows: { text: string; intent: string }[], intents: string[], skip: number, n: number) =>
  intents.flatMap((i) => rows.filter((r) => r.intent === i).slice(skip, skip + n))
const rate = (xs: Asked[]) => xs.filter((x) => x.grounded).length / Math.max(xs.length, 1)
const rightRate = (xs: Asked[]) => xs.filter((x) => x.right).length / Math.max(xs.length, 1)

/** The true intent most of a gap's questions carry. */
function majority(memberIds: string[], intentOf: Map<string, string>): string {
  const counts = new Map<string, number>()
  for (const id of memberIds) {
    const i = intentOf.get(id)
    if (i) counts.set(i, (counts.get(i) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'unknown'
}

async function aiResolutionRate(from: Date, to: Date): Promise<number> {
  const url = `/api/v1/analytics/query?measures=ai_resolution_rate,closed_conversations&from=${from.toISOString()}&to=${to.toISOString()}`
  const r = await t.app.inject({ method: 'GET', url, headers: as(key) })
  expect(r.statusCode, r.body).toBe(200)
  return Number(r.json().rows[0].ai_resolution_rate)
}

describe.skipIf(!hasBanking77)('the flywheel on banking77', () => {
  beforeAll(async () => {
    t = await startTestApp()
    data = loadBanking77()
    ;({ known, missing } = splitIntents(data.intents, HELD_OUT))
    const owner = await signup(t.app, 'ecommerce')
    orgId = owner.organizationId
    key = await createKey(t.app, owner, ['admin', 'conversations:write'])
    const kb = (await post('/knowledge-bases', { name: 'Banking FAQ' })).json().id
    for (const intent of known)
      expect(
        (await post(`/knowledge-bases/${kb}/documents`, faqDocument(intent, data.train))).statusCode,
      ).toBe(201)
    agent = (await post('/agents', { name: 'Bank bot', knowledgeBaseIds: [kb] })).json().id
  })
  afterAll(async () => t?.close())

  it(
    'surfaces the missing intents as top gaps, and accepting them raises the resolution rate',
    { timeout: 600_000 },
    async () => {
      const t0 = new Date()
      const first = await askAll([
        ...pick(data.train, missing, FAQ_EXAMPLES, FIRST.missing),
        ...pick(data.train, known, FAQ_EXAMPLES, FIRST.known),
      ])
      const t1 = new Date()
      await t.drainer.drainAll()
      const refresh = await post('/analytics/refresh')
      expect(refresh.statusCode, refresh.body).toBe(200)

      // Gaps, ranked; each mapped to the majority true intent of its member questions.
      const intentOf = new Map(first.map((a) => [a.replyId, a.intent]))
      const list = await t.app.inject({
        method: 'GET',
        url: '/api/v1/analytics/knowledge-gaps?status=open&limit=200',
        headers: as(key),
      })
      const gaps = list.json().items as { id: string; volume: number; label: string }[]
      const top = gaps.slice(0, HELD_OUT)
      const mapped = []
      for (const g of top) {
        const row = (await getGap(t.deps.db, orgId, g.id))!
        mapped.push({ ...g, intent: majority(row.member_ids, intentOf) })
      }
      const hits = mapped.filter((g) => missing.includes(g.intent))
      const precision = hits.length / Math.max(top.length, 1)
      const recall = new Set(hits.map((g) => g.intent)).size / missing.length

      // A person accepts each top gap, writing the answer for the topic they see.
      for (const g of mapped) {
        const doc = faqDocument(g.intent, data.train)
        const r = await post(`/analytics/knowledge-gaps/${g.id}/accept`, {
          answer: doc.text,
          title: doc.title,
        })
        expect(r.statusCode, r.body).toBe(200)
      }

      const t2 = new Date()
      const fresh = await askAll([
        ...pick(data.test, missing, 0, FRESH.missing),
        ...pick(data.test, known, 0, FRESH.known),
      ])
      const t3 = new Date()
      // Close every conversation's window (24 h later) to read the AI resolution rate per batch.
      await t.drainer.drainAll()
      const later = new Date(Date.now() + 25 * 3600 * 1000)
      await runJobs(pipelineDeps(t.deps), organizationJobs, { organizationId: orgId, now: later })
      const arrBefore = await aiResolutionRate(t0, t1)
      const arrAfter = await aiResolutionRate(t2, t3)

      const missingOf = (xs: Asked[]) => xs.filter((x) => missing.includes(x.intent))
      const knownOf = (xs: Asked[]) => xs.filter((x) => known.includes(x.intent))
      console.log(
        `FLYWHEEL gaps=${gaps.length} top=${top.length} precision=${precision.toFixed(3)} (${hits.length}/${top.length}) recall=${recall.toFixed(3)} (${new Set(hits.map((g) => g.intent)).size}/${missing.length})`,
      )
      console.log(
        `FLYWHEEL grounded_rate ${rate(first).toFixed(3)} → ${rate(fresh).toFixed(3)} (missing intents ${rate(missingOf(first)).toFixed(3)} → ${rate(missingOf(fresh)).toFixed(3)}, known ${rate(knownOf(first)).toFixed(3)} → ${rate(knownOf(fresh)).toFixed(3)}; ${first.length} then ${fresh.length} conversations)`,
      )
      console.log(
        `FLYWHEEL right_topic_rate ${rightRate(first).toFixed(3)} → ${rightRate(fresh).toFixed(3)} (missing intents ${rightRate(missingOf(first)).toFixed(3)} → ${rightRate(missingOf(fresh)).toFixed(3)})`,
      )
      console.log(
        `FLYWHEEL top gaps: ${mapped.map((g) => `${g.intent}${missing.includes(g.intent) ? '' : '(known)'}:${g.volume}`).join(' ')}`,
      )
      console.log(`FLYWHEEL ai_resolution_rate ${arrBefore.toFixed(3)} → ${arrAfter.toFixed(3)}`)

      // Measured: precision 1.0, recall 0.88; grounded 0.56 → 0.74; ARR 0.54 → 0.70. Margins below leave room.
      expect(precision).toBeGreaterThanOrEqual(0.8)
      expect(recall).toBeGreaterThanOrEqual(0.7)
      expect(rate(fresh) - rate(first)).toBeGreaterThan(0.12)
      // held-out topics: never answered on topic before, answered on topic after acceptance
      expect(rightRate(missingOf(first))).toBeLessThan(0.05)
      expect(rightRate(missingOf(fresh))).toBeGreaterThan(0.3)
      expect(arrAfter - arrBefore).toBeGreaterThan(0.1)
    },
  )
})

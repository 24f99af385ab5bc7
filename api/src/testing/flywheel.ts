// The flywheel test's moves through the API: ask each question in its own conversation, read the
// ranked gaps and map each to the true intent most of its questions carry, accept them.
import { expect } from 'vitest'
import { getGap } from '@luneo/warehouse'
import { faqDocument, faqTitle, type Labelled } from '@luneo/models/testing'
import { as, type TestApp } from './harness.js'

/** One question: an intent's, or out of scope (`intent` null). */
export interface Question {
  text: string
  intent: string | null
}

export interface Asked {
  intent: string | null
  replyId: string
  grounded: boolean
  /** Grounded on the FAQ entry of the question's own intent: what "answered" means here. */
  right: boolean
}

export interface Flywheel {
  t: TestApp
  key: string
  orgId: string
  agent: string
}

export const post = (f: Flywheel, url: string, payload: object = {}) =>
  f.t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(f.key), payload })

/**
 * Each question in its own conversation, one after another (the engine's order is the test's).
 * A customer who gets an answer about another topic says so with a thumbs-down, as people do.
 */
export async function askAll(f: Flywheel, rows: Question[]): Promise<Asked[]> {
  const out: Asked[] = []
  for (const q of rows) {
    const c = (await post(f, '/conversations', { agentId: f.agent, channel: 'api' })).json().id
    const r = await post(f, `/conversations/${c}/messages`, { text: q.text })
    expect(r.statusCode, r.body).toBe(201)
    const reply = r.json<{ replyId: string; grounded: boolean; sources: { title: string }[] }>()
    const right = q.intent !== null && reply.grounded && reply.sources[0]?.title === faqTitle(q.intent)
    if (reply.grounded && !right)
      expect((await post(f, `/conversations/${c}/feedback`, { rating: 'negative' })).statusCode).toBe(201)
    out.push({ intent: q.intent, replyId: reply.replyId, grounded: reply.grounded, right })
  }
  return out
}

/** `n` rows of each intent after skipping `skip` (file order: deterministic). */
export const pick = (rows: readonly Labelled[], intents: string[], skip: number, n: number): Question[] =>
  intents.flatMap((i) => rows.filter((r) => r.intent === i).slice(skip, skip + n))

/** Every `n`-th of a list, `count` of them: a deterministic spread over the whole file. */
export const spread = (texts: string[], count: number): Question[] => {
  const step = Math.max(1, Math.floor(texts.length / count))
  return texts
    .filter((_, i) => i % step === 0)
    .slice(0, count)
    .map((text) => ({ text, intent: null }))
}

export const share = (xs: Asked[], ok: (a: Asked) => boolean) => xs.filter(ok).length / Math.max(xs.length, 1)

/** The true intent most of a gap's questions carry ('oos' for out-of-scope ones). */
function majority(memberIds: string[], intentOf: Map<string, string | null>): string {
  const counts = new Map<string, number>()
  for (const id of memberIds) {
    if (!intentOf.has(id)) continue
    const i = intentOf.get(id) ?? 'oos'
    counts.set(i, (counts.get(i) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'unknown'
}

export interface MappedGap {
  id: string
  volume: number
  intent: string
}

/** The top `n` open gaps, ranked by the API, each with the majority true intent of its questions. */
export async function topGaps(f: Flywheel, asked: Asked[], n: number): Promise<MappedGap[]> {
  const list = await f.t.app.inject({
    method: 'GET',
    url: '/api/v1/analytics/knowledge-gaps?status=open&limit=200',
    headers: as(f.key),
  })
  expect(list.statusCode, list.body).toBe(200)
  const gaps = (list.json().items as { id: string; volume: number }[]).slice(0, n)
  const intentOf = new Map(asked.map((a) => [a.replyId, a.intent]))
  const out: MappedGap[] = []
  for (const g of gaps) {
    const row = (await getGap(f.t.deps.db, f.orgId, g.id))!
    out.push({ id: g.id, volume: g.volume, intent: majority(row.member_ids, intentOf) })
  }
  return out
}

/**
 * A person reviews each gap: an off-topic one (mostly out-of-scope questions) is rejected, any other
 * accepted with the answer written for the topic they see (like the FAQ entries).
 */
export async function reviewAll(f: Flywheel, gaps: MappedGap[], train: readonly Labelled[]) {
  for (const g of gaps) {
    if (g.intent === 'oos') {
      const r = await post(f, `/analytics/knowledge-gaps/${g.id}/reject`)
      expect(r.statusCode, r.body).toBe(200)
      continue
    }
    const doc = faqDocument(g.intent, train)
    const r = await post(f, `/analytics/knowledge-gaps/${g.id}/accept`, {
      answer: doc.text,
      title: doc.title,
    })
    expect(r.statusCode, r.body).toBe(200)
  }
}

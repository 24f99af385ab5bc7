/**
 * Knowledge gaps, the pure part (docs/metrics.md § Knowledge gaps): labels, ranking and how a
 * run's clusters map onto the gaps already in the review queue. The job (knowledge-gaps.job.ts)
 * does the IO around these.
 */
import { tokenize } from '@luneo/models'
import { centroid, cosineSimilarity } from './clustering.js'

const DAY = 24 * 3600 * 1000

export interface GapOptions {
  /** Average-linkage cut: questions group while their mean cosine distance is ≤ this (0.75 ⇒ mean similarity ≥ 0.25). */
  maxDistance: number
  /** A cluster is the same gap as a stored one when their centroids' cosine is ≥ this. */
  matchSimilarity: number
  /** Fewer failed questions than this make no new gap (one-off questions are noise). */
  minClusterSize: number
  /** Recency weight halves every this many days. */
  halfLifeDays: number
  /** How many example questions a gap keeps. */
  maxExamples: number
  /** New failures after acceptance that reopen an accepted gap. */
  reopenAfter: number
}

// Tuned on banking77 with the local embedder (17 held-out intents, 12 questions each, plus
// noise from the other 60): at 0.75 the 17 largest clusters were all held-out intents and
// covered 16 of 17; same-intent half-sample centroids had cosine 0.66–0.93, different
// clusters' centroids at most 0.50, hence 0.6 for "same gap".
export const GAP_DEFAULTS: GapOptions = {
  maxDistance: 0.75,
  matchSimilarity: 0.6,
  minClusterSize: 3,
  halfLifeDays: 7,
  maxExamples: 5,
  reopenAfter: 3,
}

/** Drafts that start with this are placeholders a person must complete before accepting. */
export const PLACEHOLDER_MARK = '[To complete]'
/** Drafts composed from nearby knowledge start with this (removed when the draft is accepted as is). */
export const DRAFT_MARK = 'Draft from nearby knowledge (review before accepting): '

export interface FailedQuestion {
  replyId: string
  text: string
  repliedAt: number
  escalated: boolean
  vector: number[]
}

/** A gap as stored (the fields matching and merging need). */
export interface StoredGap {
  id: string
  status: 'open' | 'accepted' | 'rejected'
  centroid: number[]
  memberIds: string[]
  volume: number
  escalations: number
  lastSeenAt: number
  reviewedAt: number | null
  examples: string[]
}

/**
 * Rank: volume × recency × (1 + escalations it caused), recency = 0.5^(age / half-life) with
 * age from the gap's last failed question to now.
 */
export function gapScore(
  g: { volume: number; escalations: number; lastSeenAt: number },
  now: number,
  halfLifeDays = GAP_DEFAULTS.halfLifeDays,
): number {
  const age = Math.max(0, now - g.lastSeenAt)
  return g.volume * Math.pow(0.5, age / (halfLifeDays * DAY)) * (1 + g.escalations)
}

const MINOR = new Set(
  'the a an and or but to of in on for with my me i you your is are was were be been it its this that can could would will how what why when where do does did have has had not no get got any from at by as so just please there their they we our us am im id ive dont cant'.split(
    ' ',
  ),
)

/** The cluster's most distinctive words: frequency in the cluster × log(N / questions containing the word). */
export function keywords(cluster: readonly string[], all: readonly string[], k = 3): string[] {
  const df = new Map<string, number>()
  for (const text of all) for (const w of new Set(tokenize(text))) df.set(w, (df.get(w) ?? 0) + 1)
  const tf = new Map<string, number>()
  for (const text of cluster)
    for (const w of new Set(tokenize(text)))
      if (w.length > 2 && !MINOR.has(w) && !/^\d+$/.test(w)) tf.set(w, (tf.get(w) ?? 0) + 1)
  const n = Math.max(all.length, 1)
  return [...tf]
    .map(([w, c]) => ({ w, s: c * Math.log((n + 1) / (df.get(w) ?? 1)) }))
    .sort((a, b) => b.s - a.s || a.w.localeCompare(b.w))
    .slice(0, k)
    .map((x) => x.w)
}

/** Members ordered by closeness to the cluster's centroid (the most central first). */
export function byCentrality(members: readonly FailedQuestion[], c: readonly number[]): FailedQuestion[] {
  return [...members]
    .map((m) => ({ m, s: cosineSimilarity(m.vector, c) }))
    .sort((a, b) => b.s - a.s || a.m.replyId.localeCompare(b.m.replyId))
    .map((x) => x.m)
}

/** Distinct example questions, most central first, topping up `kept`. */
export function examplesOf(
  kept: readonly string[],
  central: readonly FailedQuestion[],
  max: number,
): string[] {
  const out = [...kept]
  const seen = new Set(out.map((t) => t.toLowerCase()))
  for (const q of central) {
    if (out.length >= max) break
    const key = q.text.toLowerCase()
    if (!seen.has(key)) {
      seen.add(key)
      out.push(q.text)
    }
  }
  return out.slice(0, max)
}

/** "word, word, word — “the most central question”", at most 160 characters. */
export function labelOf(words: readonly string[], central: string): string {
  const q = central.length > 100 ? `${central.slice(0, 99)}…` : central
  return (words.length ? `${words.join(', ')} — “${q}”` : `“${q}”`).slice(0, 160)
}

export type GapAction =
  | { kind: 'create'; members: FailedQuestion[]; centroid: number[] }
  | { kind: 'grow'; gap: StoredGap; added: FailedQuestion[]; reopen: boolean }
  | { kind: 'suppressed'; gap: StoredGap; members: FailedQuestion[] }
  | { kind: 'skipped'; members: FailedQuestion[] }

/**
 * What to do with each cluster of this run:
 * - the stored gap it matches is the one sharing the most member replies, else the one whose
 *   centroid is closest (cosine ≥ matchSimilarity) — so a re-run lands on the same gap;
 * - open gap → grow it (new members merged: same id as it grows);
 * - rejected gap → suppressed: its questions never raise a new gap;
 * - accepted gap → suppressed, unless at least `reopenAfter` new failures came after acceptance
 *   (the accepted answer did not cover them): then it reopens with them;
 * - no match → a new gap when the cluster has at least `minClusterSize` questions.
 */
export function planGaps(
  clusters: readonly FailedQuestion[][],
  stored: readonly StoredGap[],
  o: GapOptions = GAP_DEFAULTS,
): GapAction[] {
  const owner = new Map<string, StoredGap>()
  for (const g of stored) for (const id of g.memberIds) owner.set(id, g)
  return clusters.map((members): GapAction => {
    const c = centroid(members.map((m) => m.vector))
    const overlap = new Map<StoredGap, number>()
    for (const m of members) {
      const g = owner.get(m.replyId)
      if (g) overlap.set(g, (overlap.get(g) ?? 0) + 1)
    }
    let match = [...overlap].sort((a, b) => b[1] - a[1] || a[0].id.localeCompare(b[0].id))[0]?.[0]
    if (!match) {
      let best = o.matchSimilarity
      for (const g of stored) {
        const s = cosineSimilarity(c, g.centroid)
        if (s >= best) {
          best = s
          match = g
        }
      }
    }
    if (!match)
      return members.length >= o.minClusterSize
        ? { kind: 'create', members, centroid: c }
        : { kind: 'skipped', members }
    const known = new Set(match.memberIds)
    const added = members.filter((m) => !known.has(m.replyId))
    if (match.status === 'open') return { kind: 'grow', gap: match, added, reopen: false }
    if (match.status === 'accepted' && match.reviewedAt !== null) {
      const after = added.filter((m) => m.repliedAt > match.reviewedAt!)
      if (after.length >= o.reopenAfter) return { kind: 'grow', gap: match, added: after, reopen: true }
    }
    return { kind: 'suppressed', gap: match, members }
  })
}

/** A stored centroid moved by new members: the volume-weighted mean direction. */
export function grownCentroid(g: StoredGap, added: readonly FailedQuestion[]): number[] {
  if (added.length === 0) return g.centroid
  // centroid() weighs its inputs equally: the stored direction stands for `volume` questions.
  const moved = centroid(added.map((m) => m.vector))
  const sum = g.centroid.map((x, i) => x * g.volume + (moved[i] ?? 0) * added.length)
  return centroid([sum])
}

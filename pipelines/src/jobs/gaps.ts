/**
 * Knowledge gaps, the pure part (docs/metrics.md § Knowledge gaps): the parameters of each vector
 * space, ranking, titles and how a run's clusters map onto the gaps already in the review queue.
 * The job (knowledge-gaps.job.ts) does the IO around these.
 */
import { centroid, cosineSimilarity, dot, unit, unitSum } from './clustering.js'
import { questionTitle } from './filler.js'

const DAY = 24 * 3600 * 1000

export interface GapOptions {
  /** Average-linkage cut: questions group while their mean cosine distance is ≤ this. */
  maxDistance: number
  /**
   * A cluster is the same gap as a stored one when their centroids' cosine is ≥ this; a customer
   * question falls in an accepted gap (its lift) at the same cosine with the gap's centroid.
   */
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

// Chosen on the train and val splits of banking77 and clinc150 (a third of the intents missing,
// their questions plus sporadic failures of known intents; bench/src/tune-gaps.ts, ADR 0016),
// reported on test by gap-quality.int.test.ts. bge-small-en-v1.5, whose cosines sit high and
// narrow (unrelated questions ~0.4–0.55, paraphrases ~0.8–0.9): the cut with the best mean
// adjusted Rand index over 8 samples (0.225: 0.663, a flat top with 0.2375; banking77 alone peaks
// at 0.2125, clinc150 at 0.2625), and the match cosine with the best mean balanced accuracy of "a
// new cluster lands on its own stored gap, and a known topic's cluster on none" (0.91: 0.876;
// banking77 keeps 93–96 % apart at 8–11 % false matches, its intents are near-paraphrases;
// clinc150 60–73 % at 0–1 %).
export const GAP_DEFAULTS: GapOptions = {
  maxDistance: 0.225,
  matchSimilarity: 0.91,
  minClusterSize: 3,
  halfLifeDays: 7,
  maxExamples: 5,
  reopenAfter: 3,
}

// The hashing (lexical) embedder's space, the fallback without the model files: tuned on
// banking77 alone before; the same method on both data sets puts the best mean ARI at 0.725
// (0.463 vs 0.456 at 0.75, inside the flat top) and the match at 0.60: both kept.
const LEXICAL: Pick<GapOptions, 'maxDistance' | 'matchSimilarity'> = {
  maxDistance: 0.75,
  matchSimilarity: 0.6,
}

/**
 * The options for an embedder's vector space: a cosine means different things in each (ADR
 * 0013). bge-small's by default (an OpenAI-compatible embedder is not calibrated: it gets them too).
 */
export function gapOptionsFor(embedderId: string, overrides: Partial<GapOptions> = {}): GapOptions {
  const space = embedderId.startsWith('local-hash') ? LEXICAL : {}
  return { ...GAP_DEFAULTS, ...space, ...overrides }
}

/** Drafts that start with this are placeholders a person must complete before accepting. */
export const PLACEHOLDER_MARK = '[To complete]'
/** Drafts composed from nearby knowledge start with this (removed when the draft is accepted as is). */
export const DRAFT_MARK = 'Draft from nearby knowledge (review before accepting): '

export interface FailedQuestion {
  replyId: string
  /** The conversation it was asked in (gap_candidates_v1 rows are erased by conversation). */
  conversationId: string
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
  /** Length of the mean of the members' unit vectors; null when unknown (a gap from before it was kept). */
  cohesion: number | null
  memberIds: string[]
  volume: number
  escalations: number
  lastSeenAt: number
  reviewedAt: number | null
  examples: string[]
}

/** The organization's ROI assumptions (docs/metrics.md § Measures) that price an escalation. */
export interface CostAssumptions {
  /** Minutes a person needs per conversation. */
  minutesPerConversation: number
  /** Loaded hourly cost of that person, in the organization's currency. */
  hourlyCost: number
}

/** What the gap's escalations cost in people's time: escalations × minutes ÷ 60 × hourly cost. */
export function escalationCost(escalations: number, a: CostAssumptions): number {
  return ((escalations * a.minutesPerConversation) / 60) * a.hourlyCost
}

/**
 * Rank: volume × recency × (1 + escalation cost), recency = 0.5^(age / half-life) with age from
 * the gap's last failed question to now. The 1 keeps gaps that escalated nothing ranked by volume
 * and recency (a bare product would score them all 0).
 */
export function gapScore(
  g: { volume: number; escalations: number; lastSeenAt: number },
  now: number,
  cost: CostAssumptions,
  halfLifeDays = GAP_DEFAULTS.halfLifeDays,
): number {
  const age = Math.max(0, now - g.lastSeenAt)
  return g.volume * Math.pow(0.5, age / (halfLifeDays * DAY)) * (1 + escalationCost(g.escalations, cost))
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

const MAX_TITLE = 160

/** The title without a model: the most central question, filler removed, at most 160 characters. */
export function centralTitle(central: string): string {
  const t = questionTitle(central)
  return t.length > MAX_TITLE ? `${t.slice(0, MAX_TITLE - 1)}…` : t
}

/**
 * A model's title, cleaned: one line, no quotes or "Title:", no final period, 3–80 characters,
 * and not a keyword list ("shipping, delivery, cost"). Null when it is not usable.
 */
export function cleanModelTitle(text: string): string | null {
  const line = (text.split('\n').find((l) => l.trim() !== '') ?? '').trim()
  const t = line
    .replace(/^(title|topic)\s*:\s*/i, '')
    .replace(/^["'“”‘’*]+|["'“”‘’*]+$/g, '')
    .replace(/\.$/, '')
    .trim()
  if (t.length < 3 || t.length > 80) return null
  // three or more comma-separated words with nothing else: a keyword list, not a title
  if (/^[\p{L}\p{N}'’-]+(\s*[,;|/]\s*[\p{L}\p{N}'’-]+){2,}$/u.test(t)) return null
  return t
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

/**
 * How alike a group is: the length of the mean of its unit vectors (1 when all point the same
 * way). With the centroid it gives any question's average cosine similarity to the members
 * (cohesion × cosine with the centroid), i.e. average linkage against the whole group.
 */
export function cohesionOf(vectors: readonly (readonly number[])[]): number {
  if (vectors.length === 0) return 0
  return Math.hypot(...unitSum(vectors)) / vectors.length
}

/**
 * A stored gap moved by new members: its centroid and cohesion as if computed over all members
 * (the stored sum of unit vectors is centroid × cohesion × volume). A gap without a cohesion
 * (none recorded) counts its direction as `volume` identical questions.
 */
export function grownCentroid(
  g: StoredGap,
  added: readonly FailedQuestion[],
): { centroid: number[]; cohesion: number | null } {
  if (added.length === 0) return { centroid: g.centroid, cohesion: g.cohesion }
  const weight = g.volume * (g.cohesion ?? 1)
  const sum = unitSum(
    added.map((m) => m.vector),
    g.centroid.length,
  ).map((x, i) => x + (g.centroid[i] ?? 0) * weight)
  const len = Math.hypot(...sum)
  return {
    centroid: len === 0 ? sum : sum.map((x) => x / len),
    cohesion: g.cohesion === null ? null : len / (g.volume + added.length),
  }
}

// Centroids normalised once per array (a run compares every new question with every gap).
const unitCentroids = new WeakMap<readonly number[], number[]>()
function unitCentroid(c: readonly number[]): number[] {
  let u = unitCentroids.get(c)
  if (!u) unitCentroids.set(c, (u = unit(c)))
  return u
}

/**
 * The stored gap a single new question joins in an incremental run, by the full clustering's own
 * rules (ADR 0023): its average-linkage distance to the gap's members, 1 − cohesion × cosine with
 * the centroid, within the cut (`maxDistance`); or its cosine with the centroid at least the match
 * similarity (what planGaps accepts for a cluster of one). The nearest by linkage wins, ties by id.
 * Any status: a question near an accepted or rejected gap is that gap's, never a new one.
 */
export function nearestGap(
  vector: readonly number[],
  stored: readonly StoredGap[],
  o: GapOptions = GAP_DEFAULTS,
): StoredGap | null {
  let best: { g: StoredGap; d: number } | null = null
  const q = unit(vector)
  for (const g of stored) {
    if (g.cohesion === null) continue
    const s = dot(q, unitCentroid(g.centroid))
    const d = 1 - g.cohesion * s
    if (d > o.maxDistance && s < o.matchSimilarity) continue
    if (!best || d < best.d || (d === best.d && g.id < best.g.id)) best = { g, d }
  }
  return best?.g ?? null
}

/**
 * An incremental run's placement of its new questions (ADR 0023): each to the stored gap
 * nearestGap picks, in arrival order; the rest pending (to be clustered with the earlier pending).
 */
export function placeQuestions(
  questions: readonly FailedQuestion[],
  stored: readonly StoredGap[],
  o: GapOptions = GAP_DEFAULTS,
): { byGap: Map<StoredGap, FailedQuestion[]>; pending: FailedQuestion[] } {
  const byGap = new Map<StoredGap, FailedQuestion[]>()
  const pending: FailedQuestion[] = []
  for (const q of questions) {
    const g = nearestGap(q.vector, stored, o)
    if (g) byGap.set(g, [...(byGap.get(g) ?? []), q])
    else pending.push(q)
  }
  return { byGap, pending }
}

import { describe, expect, it } from 'vitest'
import {
  GAP_DEFAULTS,
  centralTitle,
  cleanModelTitle,
  cohesionOf,
  escalationCost,
  examplesOf,
  gapOptionsFor,
  gapScore,
  grownCentroid,
  nearestGap,
  planGaps,
  type FailedQuestion,
  type StoredGap,
} from './gaps.js'
import { centroid, cosineSimilarity } from './clustering.js'

const DAY = 24 * 3600 * 1000
const NOW = Date.UTC(2025, 0, 31)
const q = (id: string, vector: number[], at = NOW - DAY, text = id): FailedQuestion => ({
  replyId: id,
  conversationId: `conversation ${id}`,
  text,
  repliedAt: at,
  escalated: false,
  vector,
})
const gap = (
  id: string,
  status: StoredGap['status'],
  centroid: number[],
  more: Partial<StoredGap> = {},
): StoredGap => ({
  id,
  status,
  centroid,
  cohesion: null,
  memberIds: [],
  volume: 3,
  escalations: 0,
  lastSeenAt: NOW - 2 * DAY,
  reviewedAt: null,
  examples: [],
  ...more,
})

describe('gap ranking: volume × recency (half-life 7 days) × (1 + escalation cost)', () => {
  // The organization's ROI assumptions: 6 minutes per conversation at 30 an hour → 3 per escalation.
  const roi = { minutesPerConversation: 6, hourlyCost: 30 }

  it('prices escalations with the organization’s assumptions: escalations × minutes ÷ 60 × hourly cost', () => {
    expect(escalationCost(0, roi)).toBe(0)
    expect(escalationCost(4, roi)).toBeCloseTo(12, 12) // 4 × 6 ÷ 60 × 30
    expect(escalationCost(4, { minutesPerConversation: 15, hourlyCost: 48 })).toBeCloseTo(48, 12) // 4 × 0.25 h × 48
  })

  it('by hand', () => {
    // nothing escalated: volume × recency, as before
    expect(gapScore({ volume: 10, escalations: 0, lastSeenAt: NOW }, NOW, roi)).toBe(10)
    expect(gapScore({ volume: 4, escalations: 0, lastSeenAt: NOW - 14 * DAY }, NOW, roi)).toBeCloseTo(1, 12)
    // a week old: half the weight; two escalations cost 2 × 6 ÷ 60 × 30 = 6 → × (1 + 6)
    expect(gapScore({ volume: 10, escalations: 2, lastSeenAt: NOW - 7 * DAY }, NOW, roi)).toBeCloseTo(35, 12)
    // the same gap where a person's hour costs 60: 2 × 0.1 h × 60 = 12 → 10 × 0.5 × 13
    const dear = { minutesPerConversation: 6, hourlyCost: 60 }
    expect(gapScore({ volume: 10, escalations: 2, lastSeenAt: NOW - 7 * DAY }, NOW, dear)).toBeCloseTo(65, 12)
    // 8 fresh questions outrank 12 from three weeks ago (12 / 8 = 1.5)
    expect(gapScore({ volume: 8, escalations: 0, lastSeenAt: NOW }, NOW, roi)).toBeGreaterThan(
      gapScore({ volume: 12, escalations: 0, lastSeenAt: NOW - 21 * DAY }, NOW, roi),
    )
    // 3 questions that each escalated (1 + 9 = 10 → 30) outrank 20 that escalated nothing
    expect(gapScore({ volume: 3, escalations: 3, lastSeenAt: NOW }, NOW, roi)).toBeCloseTo(30, 12)
  })
})

describe('titles: a readable phrase, never a keyword list', () => {
  it('without a model: the most central question, filler removed, capitalised, at most 160 characters', () => {
    expect(centralTitle('Quick question: is there free shipping?')).toBe('Is there free shipping?')
    expect(centralTitle('hi')).toBe('Hi')
    expect(centralTitle(`tell me about ${'x'.repeat(200)}`)).toHaveLength(160)
  })
  it('a model’s title is cleaned, and refused when it is a keyword list or no title at all', () => {
    expect(cleanModelTitle('Title: "Paying with Apple Pay."\n')).toBe('Paying with Apple Pay')
    expect(cleanModelTitle('Free shipping threshold')).toBe('Free shipping threshold')
    expect(cleanModelTitle('question, quick, apple')).toBeNull()
    expect(cleanModelTitle('shipping; delivery; cost; free')).toBeNull()
    expect(cleanModelTitle('ok')).toBeNull()
    expect(cleanModelTitle('x'.repeat(81))).toBeNull()
  })
  it('keeps up to five distinct examples, most central first', () => {
    const central = ['a', 'A', 'b', 'c', 'd', 'e', 'f'].map((t) => q(t, [1, 0], NOW, t))
    expect(examplesOf([], central, 5)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(examplesOf(['z'], central, 3)).toEqual(['z', 'a', 'b'])
  })
})

describe('the parameters of each vector space', () => {
  it('bge-small (and by default): cut 0.225, match 0.91; the hashing embedder keeps 0.75 / 0.6', () => {
    expect(gapOptionsFor('bge-small-en-v1.5-int8:abc')).toMatchObject({
      maxDistance: 0.225,
      matchSimilarity: 0.91,
    })
    expect(gapOptionsFor('openai:text-embedding-3-small')).toEqual(GAP_DEFAULTS)
    expect(gapOptionsFor('local-hash-v1-512')).toMatchObject({ maxDistance: 0.75, matchSimilarity: 0.6 })
    expect(gapOptionsFor('local-hash-v1-512', { matchSimilarity: 0.5 }).matchSimilarity).toBe(0.5)
  })
})

describe('matching clusters to stored gaps (stable ids, suppression, reopening)', () => {
  const x = [1, 0, 0]
  const y = [0, 1, 0]
  const cluster = (prefix: string, v: number[], n: number, at = NOW - DAY) =>
    Array.from({ length: n }, (_, i) => q(`${prefix}${i}`, v, at))

  it('creates a gap for a new cluster of at least minClusterSize, skips smaller ones', () => {
    const [a, b] = planGaps([cluster('x', x, 3), cluster('y', y, 2)], [])
    expect(a!.kind).toBe('create')
    expect(b!.kind).toBe('skipped')
  })

  it('grows the open gap it matches: same id, only new members added', () => {
    const open = gap('g1', 'open', [0.9, 0.1, 0], { memberIds: ['x0', 'x1'] })
    const [a] = planGaps([cluster('x', x, 4)], [open])
    expect(a).toMatchObject({ kind: 'grow', reopen: false })
    if (a?.kind !== 'grow') throw new Error('expected grow')
    expect(a.gap.id).toBe('g1')
    expect(a.added.map((m) => m.replyId)).toEqual(['x2', 'x3'])
  })

  it('prefers the gap sharing members over a closer centroid (a re-run lands on the same gap)', () => {
    const shared = gap('shared', 'open', y, { memberIds: ['x0'] })
    const closer = gap('closer', 'open', x)
    const [a] = planGaps([cluster('x', x, 3)], [closer, shared])
    expect(a?.kind === 'grow' && a.gap.id).toBe('shared')
  })

  it('a small cluster still grows a matching open gap', () => {
    const [a] = planGaps([cluster('x', x, 1)], [gap('g', 'open', x)])
    expect(a?.kind).toBe('grow')
  })

  it('suppresses questions matching a rejected gap', () => {
    const [a] = planGaps([cluster('x', x, 10)], [gap('r', 'rejected', x)])
    expect(a?.kind).toBe('suppressed')
  })

  it('an accepted gap stays closed unless reopenAfter new failures come after acceptance', () => {
    const accepted = gap('acc', 'accepted', x, { reviewedAt: NOW - 3 * DAY })
    const before = cluster('b', x, 5, NOW - 4 * DAY) // before acceptance: already answered
    const after2 = cluster('a', x, 2, NOW - DAY)
    expect(planGaps([[...before, ...after2]], [accepted])[0]?.kind).toBe('suppressed')
    const after3 = cluster('a', x, GAP_DEFAULTS.reopenAfter, NOW - DAY)
    const [r] = planGaps([[...before, ...after3]], [accepted])
    expect(r).toMatchObject({ kind: 'grow', reopen: true })
    if (r?.kind === 'grow') expect(r.added).toHaveLength(3)
  })

  it('a cluster far from every gap (cosine below the match similarity) is a new gap', () => {
    const [a] = planGaps([cluster('y', y, 3)], [gap('g', 'open', x)])
    expect(a?.kind).toBe('create')
  })

  it('moves the centroid by volume: 3 stored along x, 1 new along y → (3, 1) normalised', () => {
    const { centroid: c, cohesion } = grownCentroid(gap('g', 'open', [1, 0], { volume: 3 }), [q('n', [0, 1])])
    expect(c[0]).toBeCloseTo(3 / Math.sqrt(10), 12)
    expect(c[1]).toBeCloseTo(1 / Math.sqrt(10), 12)
    expect(cohesion).toBeNull() // unknown before, unknown after
  })

  it('with a cohesion, grows exactly as if computed over all members', () => {
    // members (1,0) and (0,1): sum (1,1), cohesion √2 / 2, centroid (1,1)/√2; add (1,0) → sum (2,1)
    const members = [
      [1, 0],
      [0, 1],
    ]
    const g = gap('g', 'open', centroid(members), { volume: 2, cohesion: cohesionOf(members) })
    expect(g.cohesion).toBeCloseTo(Math.SQRT2 / 2, 12)
    const grown = grownCentroid(g, [q('n', [3, 0])]) // length does not count: unit vectors
    expect(grown.centroid[0]).toBeCloseTo(2 / Math.sqrt(5), 12)
    expect(grown.centroid[1]).toBeCloseTo(1 / Math.sqrt(5), 12)
    expect(grown.cohesion).toBeCloseTo(Math.sqrt(5) / 3, 12)
    expect(grown.cohesion).toBeCloseTo(cohesionOf([...members, [1, 0]]), 12)
  })
})

describe('nearestGap: where one new question goes in an incremental run', () => {
  const o = { ...GAP_DEFAULTS, maxDistance: 0.45, matchSimilarity: 0.75 }
  // A gap of members at ±30° around x: cohesion cos 30° ≈ 0.866.
  const members = [
    [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)],
    [Math.cos(Math.PI / 6), -Math.sin(Math.PI / 6)],
  ]
  const spread = gap('g', 'open', centroid(members), { cohesion: cohesionOf(members) })

  it('joins the gap while its average cosine distance to the members is within the cut', () => {
    // at angle θ from x: average distance 1 − 0.866 cos θ; ≤ 0.45 while cos θ ≥ 0.635 (θ ≤ 50.6°)
    const at = (deg: number) => [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)]
    expect(nearestGap(at(0), [spread], o)?.id).toBe('g')
    expect(nearestGap(at(50), [spread], o)?.id).toBe('g')
    expect(nearestGap(at(51), [spread], o)).toBeNull()
    // the same average distances, computed pair by pair as the clustering does
    const avg = (v: number[]) => members.reduce((n, m) => n + (1 - cosineSimilarity(v, m)), 0) / 2
    expect(avg(at(50))).toBeLessThanOrEqual(0.45)
    expect(avg(at(51))).toBeGreaterThan(0.45)
  })

  it('a tight gap also takes what planGaps would match (cosine ≥ the match similarity)', () => {
    const tight = gap('t', 'open', [1, 0], { cohesion: 0.5 }) // 1 − 0.5 × 1 = 0.5 > 0.45
    expect(nearestGap([1, 0], [tight], o)?.id).toBe('t')
    expect(nearestGap([0.7, Math.sqrt(1 - 0.49)], [tight], o)).toBeNull() // cosine 0.7
  })

  it('the nearest of several, any status; a gap without a cohesion is never chosen', () => {
    const accepted = gap('a', 'accepted', [0, 1], { cohesion: 1 })
    const legacy = gap('l', 'open', [1, 0])
    expect(nearestGap([0.1, 1], [spread, accepted, legacy], o)?.id).toBe('a')
    expect(nearestGap([1, 0], [legacy], o)).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import {
  GAP_DEFAULTS,
  examplesOf,
  gapScore,
  grownCentroid,
  keywords,
  labelOf,
  planGaps,
  type FailedQuestion,
  type StoredGap,
} from './gaps.js'

const DAY = 24 * 3600 * 1000
const NOW = Date.UTC(2025, 0, 31)
const q = (id: string, vector: number[], at = NOW - DAY, text = id): FailedQuestion => ({
  replyId: id,
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
  memberIds: [],
  volume: 3,
  escalations: 0,
  lastSeenAt: NOW - 2 * DAY,
  reviewedAt: null,
  examples: [],
  ...more,
})

describe('gap ranking: volume × recency (half-life 7 days) × (1 + escalations)', () => {
  it('by hand', () => {
    expect(gapScore({ volume: 10, escalations: 0, lastSeenAt: NOW }, NOW)).toBe(10)
    // a week old: half the weight; two escalations triple it
    expect(gapScore({ volume: 10, escalations: 2, lastSeenAt: NOW - 7 * DAY }, NOW)).toBeCloseTo(15, 12)
    expect(gapScore({ volume: 4, escalations: 0, lastSeenAt: NOW - 14 * DAY }, NOW)).toBeCloseTo(1, 12)
    // 8 fresh questions outrank 12 from three weeks ago (12 / 8 = 1.5)
    expect(gapScore({ volume: 8, escalations: 0, lastSeenAt: NOW }, NOW)).toBeGreaterThan(
      gapScore({ volume: 12, escalations: 0, lastSeenAt: NOW - 21 * DAY }, NOW),
    )
  })
})

describe('labels', () => {
  const all = [
    'how do I activate my new card',
    'activate card please',
    'my card needs activating, how?',
    'where is my refund',
    'refund not arrived',
    'how do I change my pin',
  ]
  it('keeps the cluster’s distinctive words, not the common ones', () => {
    const words = keywords(all.slice(0, 3), all)
    // card: in 3 of 3 cluster questions (3 of 6 overall); activate: 2 of 3 (2 of 6)
    expect(words.slice(0, 2)).toEqual(['card', 'activate'])
    expect(words).not.toContain('how')
    expect(words).not.toContain('my')
  })
  it('reads as words — “central question”', () => {
    expect(labelOf(['activate', 'card'], 'how do I activate my new card')).toBe(
      'activate, card — “how do I activate my new card”',
    )
    expect(labelOf([], 'x'.repeat(200)).length).toBeLessThanOrEqual(160)
  })
  it('keeps up to five distinct examples, most central first', () => {
    const central = ['a', 'A', 'b', 'c', 'd', 'e', 'f'].map((t) => q(t, [1, 0], NOW, t))
    expect(examplesOf([], central, 5)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(examplesOf(['z'], central, 3)).toEqual(['z', 'a', 'b'])
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

  it('a cluster far from every gap (cosine < 0.6) is a new gap', () => {
    const [a] = planGaps([cluster('y', y, 3)], [gap('g', 'open', x)])
    expect(a?.kind).toBe('create')
  })

  it('moves the centroid by volume: 3 stored along x, 1 new along y → (3, 1) normalised', () => {
    const c = grownCentroid(gap('g', 'open', [1, 0], { volume: 3 }), [q('n', [0, 1])])
    expect(c[0]).toBeCloseTo(3 / Math.sqrt(10), 12)
    expect(c[1]).toBeCloseTo(1 / Math.sqrt(10), 12)
  })
})

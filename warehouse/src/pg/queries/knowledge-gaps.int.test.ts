import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../ids.js'
import { openTestPostgres } from '../../testing.js'
import type { PostgresHandle } from '../db.js'
import { getGap, insertGap, rescoreGaps } from './knowledge-gaps.js'
import { insertOrganization } from './organizations.js'

// The gaps job re-ranks every open gap each run in one statement (rescoreGaps) instead of an
// UPDATE per gap: the scores must land exactly, on this organization's gaps only, and nothing else
// of a gap may move.

let pg: PostgresHandle & { label: string }
const [org, other] = [newId(), newId()]

const gap = (organizationId: string, score: number) => ({
  id: newId(),
  organization_id: organizationId,
  label: 'Returns abroad',
  score,
  volume: 4,
  escalations: 1,
  last_seen_at: new Date('2026-11-01T10:00:00Z'),
  centroid: [0.6, 0.8],
  embedder: 'local-hash-v1',
  cohesion: 0.9,
  examples: ['can I return from Spain'],
  member_ids: [newId()],
  drafted_answer: null,
})

beforeAll(async () => {
  pg = await openTestPostgres()
  await insertOrganization(pg.db, { id: org, name: 'Shop', vertical: 'ecommerce' })
  await insertOrganization(pg.db, { id: other, name: 'Other', vertical: 'ecommerce' })
})
afterAll(async () => {
  await pg?.close()
})

describe(`rescoreGaps (${process.env.LUNEO_TEST_DATABASE_URL ? 'server' : 'PGlite'})`, () => {
  it("sets each listed gap's score exactly, only in its organization, and nothing else", async () => {
    const [a, b, c, theirs] = [gap(org, 5), gap(org, 4), gap(org, 3), gap(other, 2)]
    for (const g of [a, b, c, theirs]) await insertGap(pg.db, g)
    const before = await getGap(pg.db, org, a.id)
    // 1/3 and 2.5e-7 do not survive a decimal text that rounds: they must come back to the bit
    await rescoreGaps(pg.db, org, [
      { id: a.id, score: 1 / 3 },
      { id: b.id, score: 2.5e-7 },
      { id: theirs.id, score: 99 },
    ])
    const after = await getGap(pg.db, org, a.id)
    expect(after?.score).toBe(1 / 3)
    expect((await getGap(pg.db, org, b.id))?.score).toBe(2.5e-7)
    expect((await getGap(pg.db, org, c.id))?.score).toBe(3)
    expect((await getGap(pg.db, other, theirs.id))?.score).toBe(2)
    const { score: _s, updated_at: _u, ...rest } = after!
    const { score: _s0, updated_at: _u0, ...restBefore } = before!
    expect(rest).toEqual(restBefore)
    await rescoreGaps(pg.db, org, [])
  })
})

import { describe, expect, it } from 'vitest'
import { LIFT_BEFORE_DAYS, gapOfQuestion, liftRowOf, liftStart } from './gap-lift.js'

const DAY = 24 * 3600 * 1000
const at = (deg: number) => [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)]
const gaps = [
  { id: 'a', centroid: at(0), acceptedAt: 10 * DAY },
  { id: 'b', centroid: at(50), acceptedAt: 20 * DAY },
]

describe('which accepted gap a question falls in', () => {
  it('the most similar centroid, when its cosine reaches the threshold', () => {
    // cos 20° = 0.940 (a) vs cos 30° = 0.866 (b)
    expect(gapOfQuestion(at(20), gaps, 0.75)).toEqual({
      gapId: 'a',
      similarity: Math.cos((20 * Math.PI) / 180),
    })
    expect(gapOfQuestion(at(40), gaps, 0.75)?.gapId).toBe('b')
    // cos 50° = 0.643 to b, cos 100°: none reaches 0.75
    expect(gapOfQuestion(at(100), gaps, 0.75)).toBeNull()
    expect(gapOfQuestion(at(20), [], 0.75)).toBeNull()
  })
})

describe('a gap’s lift row', () => {
  it('the before window starts 30 days before acceptance; counts per phase, zeros when none', () => {
    expect(LIFT_BEFORE_DAYS).toBe(30)
    expect(liftStart(40 * DAY)).toBe(10 * DAY)
    const counts = [
      { gap_id: 'a', after: false, questions: 3, answered: 1, closed: 3, resolved: 1 },
      { gap_id: 'a', after: true, questions: 4, answered: 3, closed: 3, resolved: 2 },
      { gap_id: 'b', after: true, questions: 9, answered: 9, closed: 9, resolved: 9 },
    ]
    expect(liftRowOf(gaps[0]!, counts, 12 * DAY)).toEqual({
      gap_id: 'a',
      accepted_at: 10 * DAY,
      before_from: -20 * DAY,
      covered_to: 12 * DAY,
      before_questions: 3,
      before_answered: 1,
      before_closed: 3,
      before_resolved: 1,
      after_questions: 4,
      after_answered: 3,
      after_closed: 3,
      after_resolved: 2,
    })
    expect(liftRowOf(gaps[1]!, counts, 21 * DAY)).toMatchObject({ before_questions: 0, after_questions: 9 })
  })
})

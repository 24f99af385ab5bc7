import type { RetentionPolicy } from '@luneo/warehouse'

const DAY_MS = 86_400_000

export interface RetentionCutoffs {
  /** Conversations whose last activity is before this go, with their text everywhere. */
  conversationsBefore: Date
  /** Aggregates (no text) older than this go. */
  aggregatesBefore: Date
}

/**
 * The cutoffs a policy gives at `now`: whole UTC days, counted back from the start of `now`'s
 * day. Day-aligned so every run of one day deletes the same set (the first does the work, the
 * others find nothing) and "kept 30 days" reads as 30 calendar days, never 29 and a fraction.
 */
export function retentionCutoffs(now: Date, policy: RetentionPolicy): RetentionCutoffs {
  const day = Math.floor(now.getTime() / DAY_MS) * DAY_MS
  return {
    conversationsBefore: new Date(day - policy.conversationDays * DAY_MS),
    aggregatesBefore: new Date(day - policy.analyticsDays * DAY_MS),
  }
}

/** Whether the last run was on the same UTC day as `now` (its cutoffs were the same: nothing new to do). */
export function ranToday(since: Date | null, now: Date): boolean {
  return since !== null && Math.floor(since.getTime() / DAY_MS) === Math.floor(now.getTime() / DAY_MS)
}

import { prunePublishedOutbox, type Db } from '@luneo/warehouse'

export interface OutboxPruneOptions {
  /** Published rows are kept this long (replay from Postgres, debugging), then deleted. */
  keepMs: number
  /** At most one prune pass this often (default 1 min): it runs when a poll found nothing to move. */
  everyMs?: number
  /** Rows deleted per statement (default 5,000): short statements, the API keeps writing. */
  batch?: number
  /** The clock (tests pin it). */
  now?: () => Date
}

/**
 * Deletes published outbox rows older than `keepMs`. The drainer and the relay call `maybePrune`
 * when a poll found nothing to move, so pruning never delays events; it runs at most every
 * `everyMs`. Returns how many rows went.
 */
export function createOutboxPruner(db: Db, options: OutboxPruneOptions) {
  const every = options.everyMs ?? 60_000
  const batch = options.batch ?? 5_000
  const now = options.now ?? (() => new Date())
  let last = -Infinity
  return {
    async maybePrune(): Promise<number> {
      const at = now()
      if (at.getTime() - last < every) return 0
      last = at.getTime()
      return pruneOutbox(db, new Date(at.getTime() - options.keepMs), batch)
    },
  }
}

export type OutboxPruner = ReturnType<typeof createOutboxPruner>

/** Deletes every published row published before `before`, `batch` rows per statement. */
export async function pruneOutbox(db: Db, before: Date, batch = 5_000): Promise<number> {
  let total = 0
  for (let n = batch; n === batch; total += n) n = await prunePublishedOutbox(db, before, batch)
  return total
}

import type { Db } from '../db.js'

/** Tables whose rows a poller leases before sending (same columns: status, attempts, next_attempt_at). */
export type LeasedTable = 'email_outbox' | 'webhook_deliveries'

/**
 * Compare-and-set lease on a due row: true for the one poller whose update matched (same attempt
 * count, still pending and due), so two API processes never send the same thing twice; the lease
 * pushes the row's next attempt past the send.
 */
export async function claimLease(
  db: Db,
  table: LeasedTable,
  row: { id: string; attempts: number },
  at: { now: Date; leaseUntil: Date },
): Promise<boolean> {
  // Both tables have these columns; Kysely cannot type an update over a union of tables, so it is
  // typed as one of them.
  const r = await db
    .updateTable(table as 'webhook_deliveries')
    .set({ next_attempt_at: at.leaseUntil })
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .where('attempts', '=', row.attempts)
    .where('next_attempt_at', '<=', at.now)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

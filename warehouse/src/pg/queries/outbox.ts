import type { Kysely } from 'kysely'
import type { Database } from '../schema.js'

/**
 * The newest outbox seq now (null on an empty outbox). Seqs are assigned at insert, so every row
 * committed before this call has a seq at or below it: the mark a refresh or an erasure waits for.
 */
export async function outboxHighSeq(db: Kysely<Database>): Promise<string | null> {
  const r = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst()
  return r?.seq === null || r?.seq === undefined ? null : String(r.seq)
}

/** The organization's rows at or before `seq` not yet moved (partial index on unpublished rows). */
export async function pendingOutboxUpTo(
  db: Kysely<Database>,
  organizationId: string,
  seq: string,
): Promise<number> {
  const r = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('published_at', 'is', null)
    .where('seq', '<=', seq as unknown as number)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst()
  return Number(r?.n ?? 0)
}

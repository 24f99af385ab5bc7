import { sql } from 'kysely'
import type { Db } from '../db.js'

export async function insertIntentCorrection(
  db: Db,
  c: { id: string; organization_id: string; vertical: string; text: string; intent: string },
): Promise<void> {
  await db.insertInto('intent_corrections').values(c).execute()
}

export async function intentCorrections(db: Db, organizationId: string, vertical: string) {
  return db
    .selectFrom('intent_corrections')
    .select(['text', 'intent'])
    .where('organization_id', '=', organizationId)
    .where('vertical', '=', vertical)
    .orderBy('id')
    .limit(5000)
    .execute()
}

/** A cheap version stamp for an organization's corrections: the classifier cache key. */
export async function intentCorrectionsStamp(
  db: Db,
  organizationId: string,
  vertical: string,
): Promise<string> {
  const r = await db
    .selectFrom('intent_corrections')
    .select([(eb) => eb.fn.countAll<number>().as('n'), sql<string>`max(id::text)`.as('last')])
    .where('organization_id', '=', organizationId)
    .where('vertical', '=', vertical)
    .executeTakeFirstOrThrow()
  return `${r.n}:${r.last ?? ''}`
}

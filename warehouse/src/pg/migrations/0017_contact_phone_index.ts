import { sql, type Kysely } from 'kysely'

// Contacts found by phone (POST /conversations merges a contact by email, else by phone) had no
// index: the lookup read every contact of the organization. Partial, so contacts without a phone
// (most of them) cost no index entry on insert. It also lets Postgres keep one generic plan for
// the open-conversation statement instead of planning each call (its estimate of the phone
// lookup no longer outweighs planning: open-conversation-plan.int.test.ts). Frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX contacts_org_phone_idx ON contacts (organization_id, phone) WHERE phone IS NOT NULL`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS contacts_org_phone_idx`.execute(db)
}

import type { Kysely } from 'kysely'

// The organization's locale (BCP 47, e.g. "en-US", "fr-FR"): the dashboard formats its numbers,
// money and dates with it, beside `currency`. 'en-US' for organizations made before it, the
// formatting they were shown until now on an English browser. Frozen in time: Kysely<any> only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organizations')
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en-US'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organizations').dropColumn('locale').execute()
}

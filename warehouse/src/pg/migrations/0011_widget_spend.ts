import type { Kysely } from 'kysely'
import { sql } from 'kysely'

// The public widget key sits in every page that embeds it: a script can spend the tenant's LLM
// money through it. Each key gets a daily spending cap (USD, NULL = none) and a ledger of what its
// turns cost per UTC day. Frozen in time: Kysely<any> only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('widget_keys')
    .addColumn('daily_spend_cap_usd', 'double precision', (c) => c.defaultTo(10))
    .execute()
  await db.schema
    .createTable('widget_key_spend')
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('widget_key_id', 'uuid', (c) => c.notNull().references('widget_keys.id').onDelete('cascade'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('spent_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('turns', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('widget_key_spend_pk', ['widget_key_id', 'day'])
    .execute()
  // Every tenant table's index (the house rule migrations.int.test.ts checks): the ledger by age.
  await sql`CREATE INDEX widget_key_spend_org ON widget_key_spend (organization_id, created_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('widget_key_spend').execute()
  await db.schema.alterTable('widget_keys').dropColumn('daily_spend_cap_usd').execute()
}

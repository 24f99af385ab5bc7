import type { Kysely } from 'kysely'

// A prompt version may carry a reply style (length, greeting, tone, sources, next step) that the
// local provider honours and remote models read as instructions (ADR 0017). NULL = no style.
// Frozen in time: Kysely<any> only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('prompt_versions').addColumn('style', 'jsonb').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('prompt_versions').dropColumn('style').execute()
}

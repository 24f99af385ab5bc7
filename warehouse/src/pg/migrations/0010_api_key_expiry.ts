import type { Kysely } from 'kysely'

// An API key may expire (NULL = never), and a rotated key keeps working until its revoked_at,
// which may now lie in the future (the grace period for deploying the new secret).
// Frozen in time: Kysely<any> only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('expires_at', 'timestamptz').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').dropColumn('expires_at').execute()
}

import type { Kysely } from 'kysely'

// A person's email counts as theirs only once proven: by a link sent to it (SMTP) or by an identity
// provider that says `email_verified`. Benchmarks count an organization only when its owner is
// verified, and SSO links to an existing account only through a verified address. NULL = unproven.
// Frozen in time: Kysely<any> only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('email_verified_at', 'timestamptz').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('email_verified_at').execute()
}

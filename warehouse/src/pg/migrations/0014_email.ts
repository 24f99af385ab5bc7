import type { Kysely } from 'kysely'
import { sql } from 'kysely'

// Outgoing email. `email_outbox` is written in the transaction that makes the email necessary
// (a sign-up, an invitation), and a dispatcher sends it afterwards: a request never waits on an
// SMTP server, and an email is queued if and only if its cause committed. Its body (which holds
// a one-time link) is cleared once the mail has left. `email_verifications` holds the hashed,
// single-use links that prove an address; like sessions, each row belongs to the organization
// it was asked from (its tenant index), though what it proves is the user's.
// `invitations.emailed_only`: the token went only into the email (never shown to the inviter), so
// accepting the invitation proves the address as a verification link does.
// Frozen in time: Kysely<any> only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`CREATE INDEX email_outbox_org ON email_outbox (organization_id, created_at)`.execute(db)
  await sql`CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status = 'pending'`.execute(
    db,
  )

  await db.schema
    .createTable('email_verifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`CREATE INDEX email_verifications_org ON email_verifications (organization_id, created_at)`.execute(
    db,
  )
  await sql`CREATE INDEX email_verifications_user ON email_verifications (user_id, created_at)`.execute(db)
  await db.schema
    .alterTable('invitations')
    .addColumn('emailed_only', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('invitations').dropColumn('emailed_only').execute()
  await db.schema.dropTable('email_verifications').execute()
  await db.schema.dropTable('email_outbox').execute()
}

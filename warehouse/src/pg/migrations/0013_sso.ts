import type { Kysely } from 'kysely'
import { sql } from 'kysely'

// Sign-in through an organization's OpenID Connect provider (ADR 0020). One provider per
// organization; `domain` routes a sign-in by email to it (unique: one organization per domain).
// The client secret is stored encrypted (AES-GCM under a key derived from LUNEO_SECRET) and never
// read back by the API. `sso_identities` remembers which provider subject is which user, so a
// later sign-in does not depend on the email claim again. Sessions say how they were opened, so
// turning enforcement on can end the password ones. Frozen in time: Kysely<any> only.
export async function up(db: Kysely<any>): Promise<void> {
  const org = (c: any) => c.notNull().references('organizations.id').onDelete('cascade')
  await db.schema
    .createTable('sso_configs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', (c) => org(c).unique())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret_enc', 'text')
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('enforced', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`CREATE UNIQUE INDEX sso_configs_domain_key ON sso_configs (lower(domain))`.execute(db)
  await sql`CREATE INDEX sso_configs_org ON sso_configs (organization_id, created_at)`.execute(db)

  await db.schema
    .createTable('sso_identities')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', org)
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('sso_identities_org_iss_sub_key', ['organization_id', 'issuer', 'subject'])
    .execute()
  await sql`CREATE INDEX sso_identities_org ON sso_identities (organization_id, created_at)`.execute(db)

  await db.schema
    .alterTable('sessions')
    .addColumn('auth_method', 'text', (c) => c.notNull().defaultTo('password'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('auth_method').execute()
  await db.schema.dropTable('sso_identities').execute()
  await db.schema.dropTable('sso_configs').execute()
}

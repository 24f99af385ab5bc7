import { sql } from 'kysely'
import type { Db } from '../db.js'
import type { Invitation, SsoConfig } from '../schema.js'

// Sign-in through an organization's OpenID Connect provider (ADR 0020).

export async function getSsoConfig(db: Db, organizationId: string): Promise<SsoConfig | undefined> {
  return db
    .selectFrom('sso_configs')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .executeTakeFirst()
}

/** The provider that handles sign-ins for an email domain (one organization per domain). */
export async function findSsoConfigByDomain(db: Db, domain: string): Promise<SsoConfig | undefined> {
  return db
    .selectFrom('sso_configs')
    .selectAll()
    .where(sql<string>`lower(domain)`, '=', domain.toLowerCase())
    .executeTakeFirst()
}

/** Another organization already routes this domain to its provider (case-insensitive). */
export async function ssoDomainTakenElsewhere(
  db: Db,
  organizationId: string,
  domain: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('sso_configs')
    .select('id')
    .where(sql<string>`lower(domain)`, '=', domain.toLowerCase())
    .where('organization_id', '<>', organizationId)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Creates or replaces the organization's provider. `client_secret_enc: undefined` keeps the stored
 * secret (an admin changing the domain does not have to paste the secret again).
 */
export async function upsertSsoConfig(
  db: Db,
  c: {
    id: string
    organization_id: string
    issuer: string
    client_id: string
    client_secret_enc: string | null | undefined
    domain: string
    enforced: boolean
  },
): Promise<SsoConfig> {
  const { client_secret_enc: secret, ...rest } = c
  const now = new Date()
  return db
    .insertInto('sso_configs')
    .values({ ...rest, client_secret_enc: secret ?? null })
    .onConflict((oc) =>
      oc.column('organization_id').doUpdateSet({
        issuer: rest.issuer,
        client_id: rest.client_id,
        domain: rest.domain,
        enforced: rest.enforced,
        updated_at: now,
        ...(secret === undefined ? {} : { client_secret_enc: secret }),
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function deleteSsoConfig(db: Db, organizationId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('sso_configs')
    .where('organization_id', '=', organizationId)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

/** Whether the organization requires its members to sign in through its provider. */
export async function ssoEnforced(db: Db, organizationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('sso_configs')
    .select('enforced')
    .where('organization_id', '=', organizationId)
    .executeTakeFirst()
  return row?.enforced ?? false
}

export async function findSsoIdentity(
  db: Db,
  organizationId: string,
  issuer: string,
  subject: string,
): Promise<{ user_id: string } | undefined> {
  return db
    .selectFrom('sso_identities')
    .select('user_id')
    .where('organization_id', '=', organizationId)
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst()
}

/** Someone has signed in to the organization through this issuer (its settings are proven to work). */
export async function hasSsoIdentityFor(db: Db, organizationId: string, issuer: string): Promise<boolean> {
  const row = await db
    .selectFrom('sso_identities')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('issuer', '=', issuer)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

export async function insertSsoIdentity(
  db: Db,
  i: { id: string; organization_id: string; user_id: string; issuer: string; subject: string },
): Promise<void> {
  await db.insertInto('sso_identities').values(i).execute()
}

/**
 * Accepts the organization's open invitation for an email, if there is one (the oldest), in one
 * statement: what an invited person's first SSO sign-in does instead of clicking the link.
 */
export async function consumeInvitationForEmail(
  db: Db,
  organizationId: string,
  email: string,
): Promise<Invitation | undefined> {
  const now = new Date()
  const open = db
    .selectFrom('invitations')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'asc')
    .limit(1)
  return db
    .updateTable('invitations')
    .set({ accepted_at: now })
    .where('organization_id', '=', organizationId)
    .where('id', 'in', open)
    .returningAll()
    .executeTakeFirst()
}

/**
 * Ends the live password sessions of the organization's members below owner: what turning
 * "members must use SSO" on does at once (owners keep theirs: the break-glass, ADR 0020).
 */
export async function revokePasswordSessions(db: Db, organizationId: string): Promise<number> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('auth_method', '=', 'password')
    .where('revoked_at', 'is', null)
    .where('user_id', 'in', (eb) =>
      eb
        .selectFrom('memberships')
        .select('user_id')
        .where('organization_id', '=', organizationId)
        .where('role', '<>', 'owner'),
    )
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

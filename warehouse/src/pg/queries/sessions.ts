import { sql, type Kysely, type ExpressionBuilder } from 'kysely'
import type { ApiKey, Database, Scope, Session, SessionAuthMethod } from '../schema.js'
import { paginate, type Page, type PageRequest } from './page.js'

export async function insertSession(
  db: Kysely<Database>,
  s: {
    id: string
    organization_id: string
    user_id: string
    refresh_hash: string
    expires_at: Date
    auth_method?: SessionAuthMethod
  },
): Promise<Session> {
  return db.insertInto('sessions').values(s).returningAll().executeTakeFirstOrThrow()
}

/** A live session: not revoked, not expired. */
export async function getLiveSession(db: Kysely<Database>, sessionId: string): Promise<Session | undefined> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst()
}

/**
 * Swaps the refresh token only if the caller presented the current one: a replayed old refresh
 * token finds no row (compare-and-set), so a stolen token works at most once.
 */
export async function rotateRefresh(
  db: Kysely<Database>,
  sessionId: string,
  presentedHash: string,
  nextHash: string,
  expiresAt: Date,
  maxLifetimeMs: number,
): Promise<Session | undefined> {
  // Never past the session's absolute end (created_at + maxLifetimeMs): refreshing pushes the
  // expiry on, but a session — a departed admin's included — ends for good.
  const end = sql<Date>`LEAST(${expiresAt}::timestamptz, created_at + ${`${Math.floor(maxLifetimeMs / 1000)} seconds`}::interval)`
  return db
    .updateTable('sessions')
    .set({ refresh_hash: nextHash, expires_at: end, last_used_at: new Date() })
    .where('id', '=', sessionId)
    .where('refresh_hash', '=', presentedHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .where('created_at', '>', new Date(Date.now() - maxLifetimeMs))
    .returningAll()
    .executeTakeFirst()
}

export async function revokeSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', sessionId).execute()
}

/** Ends every live session of a user in an organization (role changed, member removed). */
export async function revokeUserSessions(
  db: Kysely<Database>,
  organizationId: string,
  userId: string,
): Promise<number> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** A key still accepted: not revoked (or its rotation grace still running), not expired. */
const keyLive = (now: Date) => (eb: ExpressionBuilder<Database, 'api_keys'>) =>
  eb.and([
    eb.or([eb('revoked_at', 'is', null), eb('revoked_at', '>', now)]),
    eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]),
  ])

export async function insertApiKey(
  db: Kysely<Database>,
  k: {
    id: string
    organization_id: string
    name: string
    prefix: string
    secret_hash: string
    scopes: Scope[]
    created_by: string | null
    expires_at?: Date | null
  },
): Promise<ApiKey> {
  return db.insertInto('api_keys').values(k).returningAll().executeTakeFirstOrThrow()
}

export async function findLiveApiKeyByHash(
  db: Kysely<Database>,
  secretHash: string,
): Promise<ApiKey | undefined> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('secret_hash', '=', secretHash)
    .where(keyLive(new Date()))
    .executeTakeFirst()
}

export async function listApiKeys(
  db: Kysely<Database>,
  organizationId: string,
  page: PageRequest,
): Promise<Page<ApiKey>> {
  const q = db
    .selectFrom('api_keys')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where(keyLive(new Date()))
  return paginate(q, 'id', page)
}

/** Revokes a live key at `at` (now, or the end of a rotation's grace period). */
export async function revokeApiKey(
  db: Kysely<Database>,
  organizationId: string,
  keyId: string,
  at = new Date(),
): Promise<boolean> {
  const now = new Date()
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('organization_id', '=', organizationId)
    .where('id', '=', keyId)
    .where(keyLive(now))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** A live key of the organization (to rotate it). */
export async function getLiveApiKey(
  db: Kysely<Database>,
  organizationId: string,
  keyId: string,
): Promise<ApiKey | undefined> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', keyId)
    .where(keyLive(new Date()))
    .executeTakeFirst()
}

export interface SessionPrincipal {
  session_id: string
  user_id: string
  email: string
  organization_id: string
  vertical: string
  role: import('../schema.js').Role
}

/** A live session with its user's role in the session's organization, in one query. */
export async function resolveSession(
  db: Kysely<Database>,
  sessionId: string,
): Promise<SessionPrincipal | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('memberships as m', (j) =>
      j.onRef('m.user_id', '=', 's.user_id').onRef('m.organization_id', '=', 's.organization_id'),
    )
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('organizations as o', 'o.id', 's.organization_id')
    .select(['s.id as session_id', 's.user_id', 'u.email', 's.organization_id', 'o.vertical', 'm.role'])
    .where('s.id', '=', sessionId)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', new Date())
    .executeTakeFirst()
}

export interface KeyPrincipal {
  key_id: string
  organization_id: string
  vertical: string
  scopes: Scope[]
  /** When the key stops working (expiry or the end of a rotation's grace), if it does. */
  ends_at: Date | null
}

/** A live API key with its organization's vertical, in one query. */
export async function resolveApiKey(
  db: Kysely<Database>,
  secretHash: string,
): Promise<KeyPrincipal | undefined> {
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('organizations as o', 'o.id', 'k.organization_id')
    .select(['k.id as key_id', 'k.organization_id', 'o.vertical', 'k.scopes', 'k.revoked_at', 'k.expires_at'])
    .where('k.secret_hash', '=', secretHash)
    .where((eb) => {
      const now = new Date()
      return eb.and([
        eb.or([eb('k.revoked_at', 'is', null), eb('k.revoked_at', '>', now)]),
        eb.or([eb('k.expires_at', 'is', null), eb('k.expires_at', '>', now)]),
      ])
    })
    .executeTakeFirst()
  if (!row) return undefined
  const ends = [row.revoked_at, row.expires_at].filter((d): d is Date => d !== null)
  return {
    key_id: row.key_id,
    organization_id: row.organization_id,
    vertical: row.vertical,
    scopes: row.scopes,
    ends_at: ends.length ? new Date(Math.min(...ends.map((d) => d.getTime()))) : null,
  }
}

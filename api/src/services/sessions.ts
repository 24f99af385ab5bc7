import {
  getMembership,
  getOrganization,
  getUser,
  insertSession,
  newId,
  type Db,
  type SessionAuthMethod,
} from '@luneo/warehouse'
import type { AppDeps } from '../context.js'
import { AppError } from '../errors.js'
import { randomToken, sha256, signAccessToken } from '../auth/crypto.js'
import { ACCESS_TTL_MS, REFRESH_TTL_MS, type SessionCookies } from '../auth/cookies.js'
import type { Me } from '../schemas/auth.js'
import { auditAsUser } from './audit.js'

/** A signed-in user, and the session cookies the route sets. */
export interface SignedIn {
  me: Me
  cookies: SessionCookies
}

/** Who the user is in the organization: what every sign-in answers and `GET /auth/me` reads. */
export async function meOf(db: Db, userId: string, organizationId: string): Promise<Me> {
  const [user, org, membership] = await Promise.all([
    getUser(db, userId),
    getOrganization(db, organizationId),
    getMembership(db, organizationId, userId),
  ])
  if (!user || !org || !membership) throw new AppError('unauthenticated')
  return {
    user: { id: user.id, email: user.email, name: user.name, emailVerified: user.email_verified_at !== null },
    organization: { id: org.id, name: org.name, vertical: org.vertical },
    role: membership.role,
  }
}

/**
 * Signs a user in to an organization, in `trx`: a new session, the audit row saying how (recorded
 * in the organization entered) when there is one to write, and who they are there.
 */
export async function signInTo(
  deps: AppDeps,
  trx: Db,
  who: { organizationId: string; userId: string; requestId: string; method?: SessionAuthMethod },
  audited?: { action: string; resource: { type: string; id: string }; details?: Record<string, unknown> },
): Promise<SignedIn> {
  const cookies = await openSession(deps, trx, who.userId, who.organizationId, who.method ?? 'password')
  if (audited) await auditAsUser(trx, who, audited.action, audited.resource, audited.details)
  return { me: await meOf(trx, who.userId, who.organizationId), cookies }
}

async function openSession(
  deps: AppDeps,
  db: Db,
  userId: string,
  organizationId: string,
  authMethod: SessionAuthMethod,
): Promise<SessionCookies> {
  const id = newId()
  const refresh = `${id}.${randomToken()}`
  await insertSession(db, {
    id,
    organization_id: organizationId,
    user_id: userId,
    refresh_hash: sha256(refresh),
    expires_at: new Date(Date.now() + REFRESH_TTL_MS),
    auth_method: authMethod,
  })
  return sessionCookies(deps, id, refresh)
}

/** The three cookies of a session: a 15-minute access token, the refresh token, the CSRF token. */
export function sessionCookies(deps: AppDeps, sessionId: string, refresh: string): SessionCookies {
  return {
    access: signAccessToken(deps.secret, sessionId, Date.now() + ACCESS_TTL_MS),
    refresh,
    csrf: randomToken(18),
    secure: deps.config.secureCookies,
  }
}

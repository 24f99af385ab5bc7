import { insertSession, newId, type Db, type SessionAuthMethod } from '@luneo/warehouse'
import type { AppDeps } from '../context.js'
import { randomToken, sha256, signAccessToken } from '../auth/crypto.js'
import { ACCESS_TTL_MS, REFRESH_TTL_MS, type SessionCookies } from '../auth/cookies.js'

/** Opens a session for a user in an organization; the route sets the cookies it returns. */
export async function openSession(
  deps: AppDeps,
  db: Db,
  userId: string,
  organizationId: string,
  authMethod: SessionAuthMethod = 'password',
): Promise<{ sessionId: string; cookies: SessionCookies }> {
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
  return { sessionId: id, cookies: sessionCookies(deps, id, refresh) }
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

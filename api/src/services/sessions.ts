import type { FastifyReply } from 'fastify'
import { insertSession, newId, type Db } from '@luneo/warehouse'
import type { AppDeps } from '../context.js'
import { randomToken, sha256, signAccessToken } from '../auth/crypto.js'
import { ACCESS_TTL_MS, REFRESH_TTL_MS, setSessionCookies } from '../auth/cookies.js'

/** Opens a session for a user in an organization and sets its three cookies. */
export async function openSession(
  deps: AppDeps,
  db: Db,
  reply: FastifyReply,
  userId: string,
  organizationId: string,
): Promise<string> {
  const id = newId()
  const refresh = `${id}.${randomToken()}`
  await insertSession(db, {
    id,
    organization_id: organizationId,
    user_id: userId,
    refresh_hash: sha256(refresh),
    expires_at: new Date(Date.now() + REFRESH_TTL_MS),
  })
  issueCookies(deps, reply, id, refresh)
  return id
}

export function issueCookies(deps: AppDeps, reply: FastifyReply, sessionId: string, refresh: string): void {
  setSessionCookies(reply, {
    access: signAccessToken(deps.secret, sessionId, Date.now() + ACCESS_TTL_MS),
    refresh,
    csrf: randomToken(18),
    secure: deps.config.secureCookies,
  })
}

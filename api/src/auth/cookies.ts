import type { FastifyReply } from 'fastify'

export const ACCESS_COOKIE = 'luneo_at'
export const REFRESH_COOKIE = 'luneo_rt'
export const CSRF_COOKIE = 'luneo_csrf'
export const CSRF_HEADER = 'x-csrf-token'

/** Access tokens live 15 minutes; the refresh token 30 days and rotates on every use. */
export const ACCESS_TTL_MS = 15 * 60 * 1000
export const REFRESH_TTL_MS = 30 * 24 * 60 * 60 * 1000
/**
 * However often it is refreshed, a session ends this long after sign-in (then sign in again):
 * refreshing used to push the expiry 30 days on each time, so a session could live for ever.
 */
export const SESSION_MAX_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000

export interface SessionCookies {
  access: string
  refresh: string
  csrf: string
  secure: boolean
}

export function setSessionCookies(reply: FastifyReply, c: SessionCookies): void {
  const base = { sameSite: 'lax' as const, secure: c.secure }
  reply
    .setCookie(ACCESS_COOKIE, c.access, { ...base, httpOnly: true, path: '/', maxAge: ACCESS_TTL_MS / 1000 })
    .setCookie(REFRESH_COOKIE, c.refresh, {
      ...base,
      httpOnly: true,
      path: '/api/v1/auth',
      maxAge: REFRESH_TTL_MS / 1000,
    })
    // Readable by the page's script on purpose: it echoes it in x-csrf-token (double submit).
    .setCookie(CSRF_COOKIE, c.csrf, { ...base, httpOnly: false, path: '/', maxAge: REFRESH_TTL_MS / 1000 })
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply
    .clearCookie(ACCESS_COOKIE, { path: '/' })
    .clearCookie(REFRESH_COOKIE, { path: '/api/v1/auth' })
    .clearCookie(CSRF_COOKIE, { path: '/' })
}

/**
 * A device this account signed in from before: an HMAC of the account's email, set at each
 * successful sign-in (1 year, httpOnly). With it, a sign-in is not held back by the account-wide
 * limit a flood of wrong passwords from elsewhere tripped — the real user keeps getting in.
 */
export const DEVICE_COOKIE = 'luneo_device'
export const DEVICE_TTL_MS = 365 * 24 * 60 * 60 * 1000

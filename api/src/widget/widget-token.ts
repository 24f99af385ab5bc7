import { createHmac, timingSafeEqual } from 'node:crypto'

// A visitor proves they opened a conversation with an HMAC over (widget key, conversation,
// expiry) under the app secret. The "luneo-widget.v1" prefix keeps these from ever verifying as
// another kind of token signed with the same secret (access tokens sign "<session>.<exp>").
const PURPOSE = 'luneo-widget.v1'
/** A day: a visitor who comes back later starts a new conversation. */
export const WIDGET_TOKEN_TTL_MS = 24 * 60 * 60 * 1000

const mac = (secret: string, keyId: string, conversationId: string, exp: number): Buffer =>
  createHmac('sha256', secret).update(`${PURPOSE}.${keyId}.${conversationId}.${exp}`).digest()

/** `<expiresAtMs>.<signature>` binding one conversation to the widget key that opened it. */
export function signWidgetToken(
  secret: string,
  keyId: string,
  conversationId: string,
  now = Date.now(),
): string {
  const exp = now + WIDGET_TOKEN_TTL_MS
  return `${exp}.${mac(secret, keyId, conversationId, exp).toString('base64url')}`
}

/** True when the token was issued for this key and conversation and has not expired. */
export function verifyWidgetToken(
  secret: string,
  keyId: string,
  conversationId: string,
  token: string,
  now = Date.now(),
): boolean {
  const m = /^(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(token)
  if (!m) return false
  const exp = Number(m[1])
  const expected = mac(secret, keyId, conversationId, exp)
  const given = Buffer.from(m[2]!, 'base64url')
  return given.length === expected.length && timingSafeEqual(given, expected) && exp > now
}

import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto'

// scrypt parameters: N=2^15, r=8, p=1 (~32 MiB, ~50 ms) — OWASP's minimum for scrypt.
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }
const KEY_LEN = 32

function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  )
}

/** `scrypt$N$r$p$salt$hash` (base64url): parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, KEY_LEN, SCRYPT)
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  )
}

/** Constant-time comparison of a password with a stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$')
  if (alg !== 'scrypt' || !n || !r || !p || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

// A hash of a password nobody has, so a login for an unknown email costs the same as a real one.
let dummyHash: Promise<string> | undefined
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'))
  return dummyHash
}

/** A random token, base64url. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url')

/** SHA-256 of a high-entropy secret (API keys, refresh tokens): fast lookups, nothing reversible stored. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex')

/** `sessionId.expiresAtMs.signature`: a short-lived access token, checked against the session row on use. */
export function signAccessToken(secret: string, sessionId: string, expiresAt: number): string {
  const body = `${sessionId}.${expiresAt}`
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
}

export function verifyAccessToken(secret: string, token: string, now = Date.now()): string | null {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  const [sessionId, exp, sig] = parts as [string, string, string]
  const expected = createHmac('sha256', secret).update(`${sessionId}.${exp}`).digest()
  const given = Buffer.from(sig, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  if (!(Number(exp) > now)) return null
  return sessionId
}

/** Constant-time string equality (CSRF tokens). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The device cookie's value for an account (auth/cookies.ts DEVICE_COOKIE). */
export function deviceToken(secret: string, email: string): string {
  return createHmac('sha256', secret).update(`device:${email.trim().toLowerCase()}`).digest('base64url')
}

/** A key for one purpose, derived from LUNEO_SECRET (one secret, a key per use). */
const purposeKey = (secret: string, purpose: string): Buffer =>
  createHmac('sha256', secret).update(`luneo:${purpose}`).digest()

/**
 * AES-256-GCM of `plaintext` under the purpose's key: `v1.iv.tag.ciphertext` (base64url). For what
 * must be read back (an identity provider's client secret, the SSO flow cookie): tampering or
 * another purpose's key makes `openSealed` return null.
 */
export function seal(secret: string, purpose: string, plaintext: string): string {
  const iv = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', purposeKey(secret, purpose), iv)
  const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final()])
  return ['v1', iv, c.getAuthTag(), ct]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.')
}

export function openSealed(secret: string, purpose: string, sealed: string): string | null {
  const [v, iv, tag, ct] = sealed.split('.')
  if (v !== 'v1' || !iv || !tag || ct === undefined) return null
  try {
    const d = createDecipheriv('aes-256-gcm', purposeKey(secret, purpose), Buffer.from(iv, 'base64url'))
    d.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8')
  } catch {
    return null
  }
}

import * as client from 'openid-client'
import { createOutboundFetch } from '../net/outbound.js'

// The relying party's side of OpenID Connect, on openid-client (maintained, certified): discovery,
// the authorization URL with PKCE S256 + state + nonce, the code exchange that checks all three and
// verifies the ID token's signature against the provider's JWKS, iss, aud, exp and nonce. Every
// request it makes goes through the SSRF-guarded outbound layer (net/outbound.ts), like webhooks.

export interface ProviderSettings {
  issuer: string
  clientId: string
  /** null: a public client (PKCE alone authenticates the exchange). */
  clientSecret: string | null
}

export interface OidcNet {
  /** Dev and tests: providers on loopback/private addresses and over plain http. Production: neither. */
  allowInternal: boolean
  timeoutMs: number
}

/** Why talking to the provider failed: the route turns it into `sso_provider_unreachable`. */
export class ProviderError extends Error {}

// Discovery and the provider's keys for a few minutes: a sign-in is two requests (start, callback)
// and each would otherwise fetch both documents again. Keyed by everything the Configuration holds.
const TTL_MS = 5 * 60 * 1000
const MAX = 200
const cache = new Map<string, { at: number; config: Promise<client.Configuration> }>()

/** The provider's metadata (discovered at `issuer`), with a client configured for it. */
export function providerConfig(p: ProviderSettings, net: OidcNet): Promise<client.Configuration> {
  const key = JSON.stringify([p.issuer, p.clientId, p.clientSecret, net.allowInternal])
  const hit = cache.get(key)
  if (hit && Date.now() - hit.at < TTL_MS) return hit.config
  const config = discover(p, net)
  // A failed discovery is not kept: the next attempt asks again.
  config.catch(() => cache.delete(key))
  if (cache.size >= MAX) cache.delete(cache.keys().next().value!)
  cache.set(key, { at: Date.now(), config })
  return config
}

async function discover(p: ProviderSettings, net: OidcNet): Promise<client.Configuration> {
  const fetch = createOutboundFetch({ allowInternal: net.allowInternal, timeoutMs: net.timeoutMs })
  const auth = p.clientSecret ? client.ClientSecretPost(p.clientSecret) : client.None()
  try {
    return await client.discovery(new URL(p.issuer), p.clientId, undefined, auth, {
      [client.customFetch]: fetch,
      ...(net.allowInternal ? { execute: [client.allowInsecureRequests] } : {}),
      timeout: Math.ceil(net.timeoutMs / 1000),
    })
  } catch (err) {
    throw new ProviderError(`discovery at ${p.issuer} failed: ${reasons(err)}`, { cause: err })
  }
}

/** The error and its causes, outermost first: openid-client wraps a refused request in a vague one. */
function reasons(err: unknown): string {
  const out: string[] = []
  for (let e: unknown = err; e instanceof Error && out.length < 4; e = e.cause) out.push(e.message)
  return out.join(': ')
}

/** What the callback needs to finish a sign-in the start began (kept in the sealed flow cookie). */
export interface FlowSecrets {
  state: string
  nonce: string
  codeVerifier: string
}

export async function authorizationUrl(
  config: client.Configuration,
  redirectUri: string,
  loginHint: string,
): Promise<{ url: string; secrets: FlowSecrets }> {
  const secrets = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier: client.randomPKCECodeVerifier(),
  }
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    response_type: 'code',
    state: secrets.state,
    nonce: secrets.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(secrets.codeVerifier),
    code_challenge_method: 'S256',
    login_hint: loginHint,
  })
  return { url: url.href, secrets }
}

/** Who the provider says signed in. */
export interface ProviderIdentity {
  subject: string
  email: string | null
  /** Only a literal `true` (or "true", as some providers send it) counts. */
  emailVerified: boolean
  name: string | null
}

/**
 * Exchanges the code (with the PKCE verifier) and checks state, nonce and the ID token; the email
 * comes from the ID token, else from userinfo (providers that keep the ID token small).
 */
export async function finishSignIn(
  config: client.Configuration,
  callbackUrl: URL,
  secrets: FlowSecrets,
): Promise<ProviderIdentity> {
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: secrets.codeVerifier,
    expectedState: secrets.state,
    expectedNonce: secrets.nonce,
    idTokenExpected: true,
  })
  const id = tokens.claims()
  if (!id) throw new Error('no ID token')
  let claims: Record<string, unknown> = id
  if (typeof id.email !== 'string') {
    claims = { ...(await client.fetchUserInfo(config, tokens.access_token, id.sub)), sub: id.sub }
  }
  const verified = claims.email_verified
  return {
    subject: id.sub,
    email: typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null,
    emailVerified: verified === true || verified === 'true',
    name: typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 120) : null,
  }
}

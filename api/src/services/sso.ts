import {
  consumeInvitationForEmail,
  deleteSsoConfig,
  findSsoConfigByDomain,
  findSsoIdentity,
  findUserByEmail,
  getMembership,
  getSsoConfig,
  hasSsoIdentityFor,
  insertMembership,
  insertSsoIdentity,
  insertUser,
  markEmailVerified,
  newId,
  revokePasswordSessions,
  ssoDomainTakenElsewhere,
  upsertSsoConfig,
  type Db,
  type SsoConfig,
} from '@luneo/warehouse'
import type { z } from 'zod'
import type { Auth, Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { AppError } from '../errors.js'
import { openSealed, seal } from '../auth/crypto.js'
import {
  ProviderError,
  authorizationUrl,
  finishSignIn,
  providerConfig,
  type FlowSecrets,
  type OidcNet,
} from '../auth/oidc.js'
import type { SsoSettings, SsoSettingsBody } from '../schemas/sso.js'
import { audit } from './audit.js'
import { signInTo, type SignedIn } from './sessions.js'

// Sign-in through an organization's OpenID Connect provider, and its settings (ADR 0020).

const SECRET_PURPOSE = 'sso-client-secret'
const FLOW_PURPOSE = 'sso-flow'
/** How long a started sign-in may take at the provider before the callback refuses it. */
export const FLOW_TTL_MS = 10 * 60 * 1000
/** What a user created by SSO has instead of a password hash: verifyPassword never accepts it. */
const NO_PASSWORD = '!sso-only'

const net = (deps: AppDeps): OidcNet => ({
  // Same rule as webhooks (wiring/stores.ts): internal addresses and plain http outside production only.
  allowInternal: deps.config.env !== 'production',
  timeoutMs: deps.config.ssoTimeoutMs,
})

export const redirectUri = (deps: AppDeps): string => `${deps.config.publicUrl}/api/v1/auth/sso/callback`

const providerOf = (deps: AppDeps, c: SsoConfig) => ({
  issuer: c.issuer,
  clientId: c.client_id,
  clientSecret: c.client_secret_enc ? openSealed(deps.secret, SECRET_PURPOSE, c.client_secret_enc) : null,
})

function settingsOut(deps: AppDeps, c: SsoConfig | undefined): z.infer<typeof SsoSettings> {
  return {
    configured: c !== undefined,
    issuer: c?.issuer ?? null,
    clientId: c?.client_id ?? null,
    hasClientSecret: Boolean(c?.client_secret_enc),
    domain: c?.domain ?? null,
    enforced: c?.enforced ?? false,
    redirectUri: redirectUri(deps),
    updatedAt: c ? c.updated_at.toISOString() : null,
  }
}

export async function readSso(deps: AppDeps, auth: Auth): Promise<z.infer<typeof SsoSettings>> {
  return settingsOut(deps, await getSsoConfig(deps.db, auth.organizationId))
}

/**
 * Saves the organization's provider after discovering it (a typo in the issuer is refused now, not
 * at the first member's sign-in). Turning enforcement on needs one sign-in through this provider
 * first — proof the settings work, so a wrong client id cannot lock every member out — and ends
 * the members' password sessions at once.
 */
export async function saveSso(
  deps: AppDeps,
  caller: Caller,
  body: z.infer<typeof SsoSettingsBody>,
): Promise<z.infer<typeof SsoSettings>> {
  const orgId = caller.auth.organizationId
  const before = await getSsoConfig(deps.db, orgId)
  const secret =
    body.clientSecret ??
    (before?.client_secret_enc ? openSealed(deps.secret, SECRET_PURPOSE, before.client_secret_enc) : null)
  // Stored as the provider names itself in its discovery document (what its ID tokens carry as
  // `iss`), whatever spelling was typed: identities are keyed by it.
  let issuer: string
  try {
    const discovered = await providerConfig(
      { issuer: body.issuer, clientId: body.clientId, clientSecret: secret },
      net(deps),
    )
    issuer = discovered.serverMetadata().issuer
  } catch (err) {
    // The admin's input (a typo, the wrong URL): 422, not the 502 of a provider failing later.
    throw new AppError('sso_issuer_invalid', (err as Error).message)
  }
  return deps.db.transaction().execute(async (trx) => {
    if (await ssoDomainTakenElsewhere(trx, orgId, body.domain))
      throw new AppError('conflict', `Another organization signs in ${body.domain} through its provider`)
    if (body.enforced && !(await hasSsoIdentityFor(trx, orgId, issuer)))
      throw new AppError('conflict', 'Sign in once through this provider before requiring it for everyone')
    const saved = await upsertSsoConfig(trx, {
      id: newId(),
      organization_id: orgId,
      issuer,
      client_id: body.clientId,
      client_secret_enc:
        body.clientSecret === undefined ? undefined : seal(deps.secret, SECRET_PURPOSE, body.clientSecret),
      domain: body.domain,
      enforced: body.enforced,
    })
    const revokedSessions = body.enforced && !before?.enforced ? await revokePasswordSessions(trx, orgId) : 0
    await audit(
      trx,
      caller,
      'sso.configured',
      { type: 'sso_config', id: saved.id },
      {
        issuer,
        domain: body.domain,
        enforced: body.enforced,
        clientSecretChanged: body.clientSecret !== undefined,
        revokedSessions,
      },
    )
    return settingsOut(deps, saved)
  })
}

export async function removeSso(deps: AppDeps, caller: Caller): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const before = await getSsoConfig(trx, caller.auth.organizationId)
    if (!before || !(await deleteSsoConfig(trx, caller.auth.organizationId))) return
    await audit(trx, caller, 'sso.removed', { type: 'sso_config', id: before.id }, { issuer: before.issuer })
  })
}

interface Flow extends FlowSecrets {
  organizationId: string
  expiresAt: number
}

/**
 * Begins a sign-in for an email: the organization whose provider handles its domain, the
 * provider's authorization URL, and the sealed flow cookie that carries state, nonce and the PKCE
 * verifier to the callback (never to the provider: only the challenge goes there).
 */
export async function startSso(deps: AppDeps, email: string): Promise<{ url: string; flowCookie: string }> {
  const domain = email.split('@')[1] ?? ''
  const c = await findSsoConfigByDomain(deps.db, domain)
  if (!c) throw new AppError('sso_not_configured', `No single sign-on is set up for ${domain}`)
  let started: Awaited<ReturnType<typeof authorizationUrl>>
  try {
    started = await authorizationUrl(
      await providerConfig(providerOf(deps, c), net(deps)),
      redirectUri(deps),
      email,
    )
  } catch (err) {
    throw new AppError('sso_provider_unreachable', (err as Error).message)
  }
  const flow: Flow = {
    ...started.secrets,
    organizationId: c.organization_id,
    expiresAt: Date.now() + FLOW_TTL_MS,
  }
  return { url: started.url, flowCookie: seal(deps.secret, FLOW_PURPOSE, JSON.stringify(flow)) }
}

function openFlow(deps: AppDeps, cookie: string | undefined): Flow {
  const text = cookie ? openSealed(deps.secret, FLOW_PURPOSE, cookie) : null
  const flow = text ? (JSON.parse(text) as Flow) : null
  if (!flow || flow.expiresAt < Date.now())
    throw new AppError('sso_failed', 'This sign-in expired or began in another browser: start again')
  return flow
}

/**
 * Finishes a sign-in at the callback: the OIDC checks (state, PKCE, nonce, ID token), then who the
 * person is here — a provider subject seen before; else, only on a verified email, an existing
 * member's account (linked now) or an open invitation to this organization (accepted now). Anyone
 * else gets `sso_no_access`, worded the same whether or not an account with that email exists.
 */
export async function finishSso(
  deps: AppDeps,
  requestId: string,
  flowCookie: string | undefined,
  callbackUrl: URL,
  log: Caller['log'],
): Promise<SignedIn> {
  const flow = openFlow(deps, flowCookie)
  const c = await getSsoConfig(deps.db, flow.organizationId)
  if (!c) throw new AppError('sso_failed', 'Single sign-on was turned off for this organization')
  let config: Awaited<ReturnType<typeof providerConfig>>
  try {
    config = await providerConfig(providerOf(deps, c), net(deps))
  } catch (err) {
    throw new AppError('sso_provider_unreachable', (err as Error).message)
  }
  let who: Awaited<ReturnType<typeof finishSignIn>>
  try {
    who = await finishSignIn(config, callbackUrl, flow)
  } catch (err) {
    // The reason (state mismatch, PKCE refused, bad signature, provider error) is for the logs.
    log.warn({ err: err instanceof ProviderError ? err.message : String(err) }, 'sso callback refused')
    throw new AppError('sso_failed')
  }
  return deps.db.transaction().execute(async (trx) => {
    const joined = await resolveUser(trx, c, who)
    return signInTo(
      deps,
      trx,
      { organizationId: c.organization_id, userId: joined.userId, requestId, method: 'sso' },
      {
        action: 'sso.signed_in',
        resource: { type: 'user', id: joined.userId },
        details: { issuer: c.issuer, linked: joined.linked, invitationAccepted: joined.invitationAccepted },
      },
    )
  })
}

interface Joined {
  userId: string
  /** The provider's subject was tied to the account in this sign-in. */
  linked: boolean
  invitationAccepted: boolean
}

async function resolveUser(
  trx: Db,
  c: SsoConfig,
  who: Awaited<ReturnType<typeof finishSignIn>>,
): Promise<Joined> {
  const orgId = c.organization_id
  const noAccess = () =>
    new AppError(
      'sso_no_access',
      'This account has no access to the organization: ask an admin for an invitation',
    )
  const known = await findSsoIdentity(trx, orgId, c.issuer, who.subject)
  if (known) {
    // A membership's user exists (memberships.user_id references users, on delete cascade).
    if (!(await getMembership(trx, orgId, known.user_id))) throw noAccess()
    return { userId: known.user_id, linked: false, invitationAccepted: false }
  }
  // First sign-in of this subject: the email is the only bridge, so it must be proven.
  if (!who.email || !who.emailVerified)
    throw new AppError('sso_email_unverified', 'Your identity provider has not verified your email address')
  const existing = await findUserByEmail(trx, who.email)
  let membership = existing ? await getMembership(trx, orgId, existing.id) : undefined
  let invitationAccepted = false
  if (!membership) {
    const inv = await consumeInvitationForEmail(trx, orgId, who.email)
    if (!inv) throw noAccess()
    const user =
      existing ??
      (await insertUser(trx, { id: newId(), email: who.email, name: who.name, password_hash: NO_PASSWORD }))
    membership = await insertMembership(trx, {
      id: newId(),
      organization_id: orgId,
      user_id: user.id,
      role: inv.role,
    })
    invitationAccepted = true
  }
  const userId = membership.user_id
  // The provider vouched for this address (email_verified), the account's own: proven.
  await markEmailVerified(trx, userId, who.email)
  await insertSsoIdentity(trx, {
    id: newId(),
    organization_id: orgId,
    user_id: userId,
    issuer: c.issuer,
    subject: who.subject,
  })
  return { userId, linked: true, invitationAccepted }
}

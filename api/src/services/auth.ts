import {
  consumeInvitation,
  findUserByEmail,
  getMembership,
  insertMembership,
  insertOrganization,
  insertUser,
  isUuid,
  listMembershipsOfUser,
  markEmailVerified,
  newId,
  revokeSession,
  rotateRefresh,
  ssoEnforced,
  type Db,
} from '@luneo/warehouse'
import { appendToOutbox, buildEvent } from '@luneo/ingest'
import type { z } from 'zod'
import { userOf, type Auth, type Caller } from '../caller.js'
import type { AppDeps, FaultPoint } from '../context.js'
import { AppError, notFound } from '../errors.js'
import { dummyPasswordHash, hashPassword, randomToken, sha256, verifyPassword } from '../auth/crypto.js'
import { REFRESH_TTL_MS, SESSION_MAX_LIFETIME_MS } from '../auth/cookies.js'
import type { AcceptInviteBody, LoginBody, Me, OrganizationMemberships, SignupBody } from '../schemas/auth.js'
import { audit } from './audit.js'
import { queueVerification } from './email.js'
import { meOf, sessionCookies, signInTo, type SignedIn } from './sessions.js'

/**
 * Creates an organization and its owner (no session): the part of signup the demo seeder shares.
 * Runs in the caller's transaction; returns the owner's Auth for audited follow-up writes.
 */
export async function createOrganizationWithOwner(
  trx: Db,
  requestId: string,
  body: z.infer<typeof SignupBody>,
  passwordHash: string,
  sessionId = '',
  faultPoint?: FaultPoint,
): Promise<Auth> {
  if (await findUserByEmail(trx, body.email)) throw new AppError('email_taken')
  const org = await insertOrganization(trx, {
    id: newId(),
    name: body.organizationName,
    vertical: body.vertical,
  })
  const user = await insertUser(trx, {
    id: newId(),
    email: body.email.toLowerCase(),
    name: body.name ?? null,
    password_hash: passwordHash,
  })
  faultPoint?.('signup.before_membership')
  await insertMembership(trx, { id: newId(), organization_id: org.id, user_id: user.id, role: 'owner' })
  const auth: Auth = {
    organizationId: org.id,
    vertical: org.vertical,
    actor: { type: 'user', userId: user.id, email: user.email, role: 'owner', sessionId },
    viaCookie: true,
  }
  await audit(trx, { auth, requestId }, 'organization.created', { type: 'organization', id: org.id })
  const ctx = { organizationId: org.id, vertical: org.vertical, correlationId: requestId }
  faultPoint?.('signup.before_outbox')
  await appendToOutbox(trx, [
    buildEvent('organization.created', ctx, { name: org.name, vertical: org.vertical }),
  ])
  return auth
}

/** Creates an organization, its owner and a session, atomically. */
export async function signup(
  deps: AppDeps,
  requestId: string,
  body: z.infer<typeof SignupBody>,
): Promise<SignedIn> {
  const passwordHash = await hashPassword(body.password)
  const signedIn = await deps.db.transaction().execute(async (trx) => {
    const auth = await createOrganizationWithOwner(trx, requestId, body, passwordHash, '', deps.faultPoint)
    const userId = auth.actor.type === 'user' ? auth.actor.userId : ''
    // The address is unproven until its link is followed (benchmarks count verified owners only).
    await queueVerification(deps, trx, {
      organizationId: auth.organizationId,
      userId,
      email: body.email.toLowerCase(),
    })
    deps.faultPoint?.('signup.before_session')
    const signedIn = await signInTo(deps, trx, { organizationId: auth.organizationId, userId, requestId })
    deps.faultPoint?.('signup.before_commit')
    return signedIn
  })
  deps.onEmailQueued?.()
  return signedIn
}

/**
 * Checks the password in constant time whether or not the email exists, then opens a session in
 * the user's oldest organization that admits a password: one that enforces SSO admits only its
 * owners (the break-glass, ADR 0020, audited there). The SSO refusal comes only after a correct
 * password, so it tells nothing to someone guessing.
 */
export async function login(
  deps: AppDeps,
  requestId: string,
  body: z.infer<typeof LoginBody>,
): Promise<SignedIn> {
  const user = await findUserByEmail(deps.db, body.email)
  const ok = await verifyPassword(body.password, user?.password_hash ?? (await dummyPasswordHash()))
  if (!user || !ok) throw new AppError('invalid_credentials')
  const memberships = await listMembershipsOfUser(deps.db, user.id)
  if (memberships.length === 0)
    throw new AppError('invalid_credentials', 'This account belongs to no organization')
  for (const m of memberships) {
    const enforced = await ssoEnforced(deps.db, m.organization_id)
    if (enforced && m.role !== 'owner') continue
    const breakGlass = { action: 'sso.break_glass_sign_in', resource: { type: 'user', id: user.id } }
    return deps.db
      .transaction()
      .execute((trx) =>
        signInTo(
          deps,
          trx,
          { organizationId: m.organization_id, userId: user.id, requestId },
          enforced ? breakGlass : undefined,
        ),
      )
  }
  throw new AppError(
    'sso_required',
    'Your organization requires sign-in through its identity provider: use “Sign in with SSO”',
  )
}

/** Ends the caller's session (the route clears the cookies). */
export async function logout(deps: AppDeps, auth: Auth): Promise<void> {
  if (auth.actor.type === 'user') await revokeSession(deps.db, auth.actor.sessionId)
}

/**
 * Rotates the refresh token: the presented one stops working at once. On a refused token the
 * route clears the cookies.
 */
export async function refresh(deps: AppDeps, presented: string | undefined): Promise<SignedIn> {
  const sessionId = presented?.split('.')[0]
  if (!presented || !sessionId || !isUuid(sessionId))
    throw new AppError('unauthenticated', 'No refresh token')
  const next = `${sessionId}.${randomToken()}`
  const s = await rotateRefresh(
    deps.db,
    sessionId,
    sha256(presented),
    sha256(next),
    new Date(Date.now() + REFRESH_TTL_MS),
    SESSION_MAX_LIFETIME_MS,
  )
  if (!s) {
    // A refresh token that was already rotated is being replayed: someone holds a stolen copy.
    // End the session, so the thief's newer token dies with it (OAuth 2.0 BCP reuse detection).
    await revokeSession(deps.db, sessionId)
    throw new AppError('unauthenticated', 'Refresh token is not valid: sign in again')
  }
  return { me: await meOf(deps.db, s.user_id, s.organization_id), cookies: sessionCookies(deps, s.id, next) }
}

export async function me(deps: AppDeps, auth: Auth): Promise<Me> {
  return meOf(deps.db, userOf(auth).userId, auth.organizationId)
}

/** The organizations the signed-in user belongs to (their memberships only, never another's). */
export async function organizations(
  deps: AppDeps,
  auth: Auth,
): Promise<z.infer<typeof OrganizationMemberships>> {
  const rows = await listMembershipsOfUser(deps.db, userOf(auth).userId)
  return {
    items: rows.map((m) => ({
      organizationId: m.organization_id,
      name: m.name,
      vertical: m.vertical,
      role: m.role,
      current: m.organization_id === auth.organizationId,
    })),
  }
}

/**
 * Moves the user to another organization they belong to: a new session for that membership (its
 * role, its tenant) and the current one ended, as if they had signed out and back in. An
 * organization they are not a member of answers 404, the same as one that does not exist, so the
 * call cannot probe which organizations exist.
 */
export async function switchOrganization(
  deps: AppDeps,
  caller: Caller,
  organizationId: string,
): Promise<SignedIn> {
  const user = userOf(caller.auth)
  return deps.db.transaction().execute(async (trx) => {
    const membership = await getMembership(trx, organizationId, user.userId)
    if (!membership) throw notFound('Organization')
    // A password-era session does not carry into an organization that requires its provider.
    if (membership.role !== 'owner' && (await ssoEnforced(trx, organizationId)))
      throw new AppError('sso_required', 'This organization requires sign-in through its identity provider')
    await revokeSession(trx, user.sessionId)
    // Recorded in the organization entered (not the one left: its admins need not learn where the
    // user went), like the invitation that gave the membership.
    return signInTo(
      deps,
      trx,
      { organizationId, userId: user.userId, requestId: caller.requestId },
      { action: 'session.switched_organization', resource: { type: 'organization', id: organizationId } },
    )
  })
}

/** Accepts an invitation: creates the user (or reuses it), adds the membership, opens a session. */
export async function acceptInvite(
  deps: AppDeps,
  requestId: string,
  body: z.infer<typeof AcceptInviteBody>,
): Promise<SignedIn> {
  const passwordHash = await hashPassword(body.password)
  return deps.db.transaction().execute(async (trx) => {
    const inv = await consumeInvitation(trx, sha256(body.token))
    if (!inv) throw new AppError('not_found', 'Invitation not found or expired')
    // The invitation stays open (the transaction rolls back): the first SSO sign-in accepts it.
    if (inv.role !== 'owner' && (await ssoEnforced(trx, inv.organization_id)))
      throw new AppError(
        'sso_required',
        'This organization requires sign-in through its identity provider: use “Sign in with SSO”',
      )
    // An email that already has an account joins with that account, proven by its password (the
    // invitation alone never signs anyone into an existing account).
    const existing = await findUserByEmail(trx, inv.email)
    if (existing && !(await verifyPassword(body.password, existing.password_hash)))
      throw new AppError('invalid_credentials', 'This email has an account: accept with its password')
    if (existing && (await getMembership(trx, inv.organization_id, existing.id)))
      throw new AppError('conflict', 'Already a member')
    const user =
      existing ??
      (await insertUser(trx, {
        id: newId(),
        email: inv.email,
        name: body.name ?? null,
        password_hash: passwordHash,
      }))
    await insertMembership(trx, {
      id: newId(),
      organization_id: inv.organization_id,
      user_id: user.id,
      role: inv.role,
    })
    // A token that only ever travelled in the email to this address proves the address, as a
    // verification link does (never when it was shown to the inviter: no mail server).
    if (inv.emailed_only) await markEmailVerified(trx, user.id, inv.email)
    return signInTo(
      deps,
      trx,
      { organizationId: inv.organization_id, userId: user.id, requestId },
      { action: 'invitation.accepted', resource: { type: 'invitation', id: inv.id } },
    )
  })
}

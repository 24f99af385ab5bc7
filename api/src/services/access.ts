import {
  countOwners,
  deleteMembership,
  findUserByEmail,
  getLiveApiKey,
  getMembership,
  getMembershipById,
  insertApiKey,
  insertInvitation,
  listApiKeys,
  listMembers,
  newId,
  revokeApiKey,
  revokeUserSessions,
  setMembershipRole,
  type ApiKey,
  type MemberRow,
  type PageRequest,
} from '@luneo/warehouse'
import type { z } from 'zod'
import type { Auth, Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { ROLE_RANK } from '../caller.js'
import { AppError, notFound } from '../errors.js'
import { randomToken, sha256 } from '../auth/crypto.js'
import type {
  ApiKeyDto,
  CreatedApiKey,
  KeyRotation,
  Member,
  MemberPatch,
  NewApiKey,
  NewMember,
} from '../schemas/access.js'
import { iso, isoOrNull } from '../schemas/common.js'
import { audit } from './audit.js'
import { deliveryOf } from './email.js'
import { INVITE_TTL_MS, sendInvitation } from './invitations.js'

type MemberDto = z.infer<typeof Member>

export async function listOrgMembers(deps: AppDeps, auth: Auth, page: PageRequest) {
  const p = await listMembers(deps.db, auth.organizationId, page)
  return {
    nextCursor: p.nextCursor,
    items: p.items.map(toMemberDto),
  }
}

const toMemberDto = (m: MemberRow): MemberDto => ({
  id: m.id,
  userId: m.user_id,
  email: m.email,
  name: m.name,
  role: m.role,
  status: 'active',
  createdAt: iso(m.created_at),
})

/**
 * Invites someone by email: always an invitation whose link is emailed, whether or not the email
 * has an account — adding an existing account at once told the inviter that the email was
 * registered (and its owner's name). An existing account accepts with its own password.
 */
export async function addMember(
  deps: AppDeps,
  caller: Caller,
  body: z.infer<typeof NewMember>,
): Promise<MemberDto> {
  const { auth } = caller
  const myRank = auth.actor.type === 'user' ? ROLE_RANK[auth.actor.role] : ROLE_RANK.admin
  if (ROLE_RANK[body.role] > myRank) throw new AppError('forbidden', `You cannot grant ${body.role}`)
  const member = await deps.db.transaction().execute(async (trx) => {
    // Only this organization's own members are told apart (its members list shows them anyway).
    const user = await findUserByEmail(trx, body.email)
    if (user && (await getMembership(trx, auth.organizationId, user.id)))
      throw new AppError('conflict', 'Already a member')
    const token = randomToken()
    const inv = await insertInvitation(trx, {
      id: newId(),
      organization_id: auth.organizationId,
      email: body.email.toLowerCase(),
      role: body.role,
      token_hash: sha256(token),
      invited_by: auth.actor.type === 'user' ? auth.actor.userId : null,
      expires_at: new Date(Date.now() + INVITE_TTL_MS),
      emailed_only: deliveryOf(deps) === 'smtp',
    })
    await audit(trx, caller, 'member.invited', { type: 'invitation', id: inv.id }, { role: body.role })
    const sent = await sendInvitation(deps, trx, auth, inv, token)
    return {
      id: inv.id,
      userId: null,
      email: inv.email,
      name: null,
      role: inv.role,
      status: 'invited' as const,
      createdAt: iso(inv.created_at),
      emailDelivery: sent.emailDelivery,
      ...(sent.inviteToken ? { inviteToken: sent.inviteToken } : {}),
    }
  })
  deps.onEmailQueued?.()
  return member
}

const toKeyDto = (k: ApiKey): z.infer<typeof ApiKeyDto> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  createdAt: iso(k.created_at),
  lastUsedAt: isoOrNull(k.last_used_at),
  endsAt: isoOrNull(
    [k.revoked_at, k.expires_at]
      .filter((d): d is Date => d !== null)
      .sort((a, b) => a.getTime() - b.getTime())[0] ?? null,
  ),
})

const DAY_MS = 24 * 60 * 60 * 1000

/** Creates a key; the secret (`lk_…`) is returned now and never again — only its hash is stored. */
export async function createApiKey(
  deps: AppDeps,
  caller: Caller,
  body: z.infer<typeof NewApiKey>,
): Promise<z.infer<typeof CreatedApiKey>> {
  const { auth } = caller
  const secret = `lk_${randomToken(24)}`
  return deps.db.transaction().execute(async (trx) => {
    const key = await insertApiKey(trx, {
      id: newId(),
      organization_id: auth.organizationId,
      name: body.name,
      prefix: secret.slice(0, 10),
      secret_hash: sha256(secret),
      scopes: [...new Set(body.scopes)],
      created_by: auth.actor.type === 'user' ? auth.actor.userId : null,
      expires_at: body.expiresInDays ? new Date(Date.now() + body.expiresInDays * DAY_MS) : null,
    })
    await audit(trx, caller, 'api_key.created', { type: 'api_key', id: key.id }, { scopes: key.scopes })
    return { ...toKeyDto(key), secret }
  })
}

/**
 * Rotation: a new key with the same name, scopes and lifetime (a new secret, shown once), and the
 * old one revoked now or after a grace period while clients move to the new secret.
 */
export async function rotateApiKey(
  deps: AppDeps,
  caller: Caller,
  id: string,
  body: z.infer<typeof KeyRotation>,
): Promise<z.infer<typeof CreatedApiKey>> {
  const { auth } = caller
  const secret = `lk_${randomToken(24)}`
  const created = await deps.db.transaction().execute(async (trx) => {
    const old = await getLiveApiKey(trx, auth.organizationId, id)
    if (!old) throw notFound('API key')
    const lifetime = old.expires_at ? old.expires_at.getTime() - old.created_at.getTime() : null
    const key = await insertApiKey(trx, {
      id: newId(),
      organization_id: auth.organizationId,
      name: old.name,
      prefix: secret.slice(0, 10),
      secret_hash: sha256(secret),
      scopes: old.scopes,
      created_by: auth.actor.type === 'user' ? auth.actor.userId : null,
      expires_at: lifetime ? new Date(Date.now() + lifetime) : null,
    })
    const until = new Date(Date.now() + body.graceHours * 3600 * 1000)
    await revokeApiKey(trx, auth.organizationId, old.id, until)
    await audit(
      trx,
      caller,
      'api_key.rotated',
      { type: 'api_key', id: old.id },
      { newKeyId: key.id, oldKeyEndsAt: until.toISOString() },
    )
    return { ...toKeyDto(key), secret }
  })
  // The old key's cached principal would outlive a revocation that is immediate.
  if (body.graceHours === 0) deps.keyCache?.evictKey(id)
  return created
}

/**
 * A member's role. Never above the caller's own, never an owner's unless the caller is one, and
 * the organization keeps an owner. The member's sessions here end at once: they sign in again
 * under the new role.
 */
export async function changeMemberRole(
  deps: AppDeps,
  caller: Caller,
  id: string,
  body: z.infer<typeof MemberPatch>,
): Promise<MemberDto> {
  const { auth } = caller
  const myRank = auth.actor.type === 'user' ? ROLE_RANK[auth.actor.role] : ROLE_RANK.admin
  if (ROLE_RANK[body.role] > myRank) throw new AppError('forbidden', `You cannot grant ${body.role}`)
  return deps.db.transaction().execute(async (trx) => {
    const m = await getMembershipById(trx, auth.organizationId, id)
    if (!m) throw notFound('Member')
    if (ROLE_RANK[m.role] > myRank) throw new AppError('forbidden', `You cannot change an ${m.role}`)
    if (m.role === 'owner' && body.role !== 'owner' && (await countOwners(trx, auth.organizationId)) <= 1)
      throw new AppError('conflict', 'The organization needs an owner: make someone else owner first')
    await setMembershipRole(trx, auth.organizationId, id, body.role)
    const ended = await revokeUserSessions(trx, auth.organizationId, m.user_id)
    await audit(
      trx,
      caller,
      'member.role_changed',
      { type: 'membership', id },
      { from: m.role, to: body.role, sessionsEnded: ended },
    )
    const row = (await listMembers(trx, auth.organizationId, { limit: 200 })).items.find((x) => x.id === id)!
    return toMemberDto(row)
  })
}

/** Removes a member: the membership, and their sessions here at once. The last owner stays. */
export async function removeMember(deps: AppDeps, caller: Caller, id: string): Promise<void> {
  const { auth } = caller
  const myRank = auth.actor.type === 'user' ? ROLE_RANK[auth.actor.role] : ROLE_RANK.admin
  await deps.db.transaction().execute(async (trx) => {
    const m = await getMembershipById(trx, auth.organizationId, id)
    if (!m) throw notFound('Member')
    if (ROLE_RANK[m.role] > myRank) throw new AppError('forbidden', `You cannot remove an ${m.role}`)
    if (m.role === 'owner' && (await countOwners(trx, auth.organizationId)) <= 1)
      throw new AppError('conflict', 'The organization needs an owner: make someone else owner first')
    await deleteMembership(trx, auth.organizationId, id)
    const ended = await revokeUserSessions(trx, auth.organizationId, m.user_id)
    await audit(
      trx,
      caller,
      'member.removed',
      { type: 'membership', id },
      { role: m.role, sessionsEnded: ended },
    )
  })
}

export async function listKeys(deps: AppDeps, auth: Auth, page: PageRequest) {
  const p = await listApiKeys(deps.db, auth.organizationId, page)
  return { nextCursor: p.nextCursor, items: p.items.map(toKeyDto) }
}

export async function deleteKey(deps: AppDeps, caller: Caller, id: string): Promise<void> {
  const { auth } = caller
  await deps.db.transaction().execute(async (trx) => {
    if (!(await revokeApiKey(trx, auth.organizationId, id))) throw notFound('API key')
    await audit(trx, caller, 'api_key.revoked', { type: 'api_key', id })
  })
  deps.keyCache?.evictKey(id)
}

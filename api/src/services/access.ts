import {
  findUserByEmail,
  getMembership,
  insertApiKey,
  insertInvitation,
  insertMembership,
  listApiKeys,
  listMembers,
  newId,
  revokeApiKey,
  type ApiKey,
  type PageRequest,
} from '@luneo/warehouse'
import type { z } from 'zod'
import type { Auth, Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { ROLE_RANK } from '../caller.js'
import { AppError, notFound } from '../errors.js'
import { randomToken, sha256 } from '../auth/crypto.js'
import type { ApiKeyDto, CreatedApiKey, Member, NewApiKey, NewMember } from '../schemas/access.js'
import { iso, isoOrNull } from '../schemas/common.js'
import { audit } from './audit.js'

type MemberDto = z.infer<typeof Member>
const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000

export async function listOrgMembers(deps: AppDeps, auth: Auth, page: PageRequest) {
  const p = await listMembers(deps.db, auth.organizationId, page)
  return {
    nextCursor: p.nextCursor,
    items: p.items.map((m): MemberDto => ({
      id: m.id,
      userId: m.user_id,
      email: m.email,
      name: m.name,
      role: m.role,
      status: 'active',
      createdAt: iso(m.created_at),
    })),
  }
}

/** Adds an existing user at once, or creates an invitation whose token is shown once. */
export async function addMember(
  deps: AppDeps,
  caller: Caller,
  body: z.infer<typeof NewMember>,
): Promise<MemberDto> {
  const { auth } = caller
  const myRank = auth.actor.type === 'user' ? ROLE_RANK[auth.actor.role] : ROLE_RANK.admin
  if (ROLE_RANK[body.role] > myRank) throw new AppError('forbidden', `You cannot grant ${body.role}`)
  return deps.db.transaction().execute(async (trx) => {
    const user = await findUserByEmail(trx, body.email)
    if (user) {
      if (await getMembership(trx, auth.organizationId, user.id))
        throw new AppError('conflict', 'Already a member')
      const m = await insertMembership(trx, {
        id: newId(),
        organization_id: auth.organizationId,
        user_id: user.id,
        role: body.role,
      })
      await audit(trx, caller, 'member.added', { type: 'membership', id: m.id }, { role: body.role })
      return {
        id: m.id,
        userId: user.id,
        email: user.email,
        name: user.name,
        role: m.role,
        status: 'active',
        createdAt: iso(m.created_at),
      }
    }
    const token = randomToken()
    const inv = await insertInvitation(trx, {
      id: newId(),
      organization_id: auth.organizationId,
      email: body.email.toLowerCase(),
      role: body.role,
      token_hash: sha256(token),
      invited_by: auth.actor.type === 'user' ? auth.actor.userId : null,
      expires_at: new Date(Date.now() + INVITE_TTL_MS),
    })
    await audit(trx, caller, 'member.invited', { type: 'invitation', id: inv.id }, { role: body.role })
    return {
      id: inv.id,
      userId: null,
      email: inv.email,
      name: null,
      role: inv.role,
      status: 'invited',
      createdAt: iso(inv.created_at),
      inviteToken: token,
    }
  })
}

const toKeyDto = (k: ApiKey): z.infer<typeof ApiKeyDto> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  createdAt: iso(k.created_at),
  lastUsedAt: isoOrNull(k.last_used_at),
})

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
    })
    await audit(trx, caller, 'api_key.created', { type: 'api_key', id: key.id }, { scopes: key.scopes })
    return { ...toKeyDto(key), secret }
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

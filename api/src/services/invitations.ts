// Pending invitations: the email that carries the link, the list, resend and cancel.
import {
  deletePendingInvitation,
  getOrganization,
  listPendingInvitations,
  renewInvitation,
  type Db,
  type PageRequest,
  type PendingInvitationRow,
} from '@luneo/warehouse'
import type { z } from 'zod'
import type { Auth, Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { notFound } from '../errors.js'
import { randomToken, sha256 } from '../auth/crypto.js'
import { invitationEmail, linkTo } from '../email/messages.js'
import type { Invitation, InvitationSent } from '../schemas/invitations.js'
import { iso } from '../schemas/common.js'
import { audit } from './audit.js'
import { deliveryOf, queueEmail } from './email.js'

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000

const toInvitation = (r: PendingInvitationRow, now = Date.now()): z.infer<typeof Invitation> => ({
  id: r.id,
  email: r.email,
  role: r.role,
  status: r.expires_at.getTime() > now ? 'pending' : 'expired',
  createdAt: iso(r.created_at),
  expiresAt: iso(r.expires_at),
})

/**
 * Queues the invitation's email (in `trx`) and says how it leaves. The email is the same whether
 * or not the address has an account anywhere, and so is the answer: the inviter learns nothing.
 * Without a mail server the token is also returned, once, for the inviter to pass on by hand.
 */
export async function sendInvitation(
  deps: AppDeps,
  trx: Db,
  auth: Auth,
  inv: PendingInvitationRow,
  token: string,
): Promise<z.infer<typeof InvitationSent>> {
  const org = await getOrganization(trx, auth.organizationId)
  const link = linkTo(deps.config.email.dashboardUrl, 'accept-invite', token)
  const message = invitationEmail(inv.email, {
    organizationName: org?.name ?? 'an organization',
    role: inv.role,
    inviter: auth.actor.type === 'user' ? auth.actor.email : null,
    link,
    expiresAt: inv.expires_at,
  })
  await queueEmail(trx, auth.organizationId, 'invitation', message)
  const delivery = deliveryOf(deps)
  return {
    ...toInvitation(inv),
    emailDelivery: delivery,
    ...(delivery === 'log' ? { inviteToken: token } : {}),
  }
}

export async function listInvitations(deps: AppDeps, auth: Auth, page: PageRequest) {
  const p = await listPendingInvitations(deps.db, auth.organizationId, page)
  return { nextCursor: p.nextCursor, items: p.items.map((r) => toInvitation(r)) }
}

/** Sends a pending invitation again with a new link (the old one stops working) and a new week. */
export async function resendInvitation(
  deps: AppDeps,
  caller: Caller,
  id: string,
): Promise<z.infer<typeof InvitationSent>> {
  const token = randomToken()
  const sent = await deps.db.transaction().execute(async (trx) => {
    const inv = await renewInvitation(trx, caller.auth.organizationId, id, {
      token_hash: sha256(token),
      expires_at: new Date(Date.now() + INVITE_TTL_MS),
      emailed_only: deliveryOf(deps) === 'smtp',
    })
    if (!inv) throw notFound('Invitation')
    await audit(trx, caller, 'invitation.resent', { type: 'invitation', id })
    return sendInvitation(deps, trx, caller.auth, inv, token)
  })
  deps.onEmailQueued?.()
  return sent
}

/** Cancels a pending invitation: its link stops working at once. */
export async function cancelInvitation(deps: AppDeps, caller: Caller, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await deletePendingInvitation(trx, caller.auth.organizationId, id))) throw notFound('Invitation')
    await audit(trx, caller, 'invitation.revoked', { type: 'invitation', id })
  })
}

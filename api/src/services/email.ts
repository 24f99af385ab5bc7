// Email verification, and the one way services queue an email (in their own transaction).
import {
  consumeEmailVerification,
  enqueueEmail,
  getUser,
  insertEmailVerification,
  markEmailVerified,
  newId,
  type Db,
} from '@luneo/warehouse'
import type { z } from 'zod'
import { userOf, type Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { AppError } from '../errors.js'
import { randomToken, sha256 } from '../auth/crypto.js'
import type { MailMessage } from '../email/mailer.js'
import { VERIFICATION_TTL_MS, linkTo, verificationEmail } from '../email/messages.js'
import type { EmailDelivery, EmailVerified, VerificationEmailSent } from '../schemas/email.js'
import { auditAsUser } from './audit.js'

/** How queued mail leaves this server: what the API tells the caller ("sent" vs "in the log"). */
export const deliveryOf = (deps: Pick<AppDeps, 'config'>): z.infer<typeof EmailDelivery> =>
  deps.config.email.smtpUrl ? 'smtp' : 'log'

/** Queues an email in `trx`: the dispatcher sends it once the transaction commits (never before). */
export async function queueEmail(
  trx: Db,
  organizationId: string,
  kind: 'email_verification' | 'invitation',
  message: MailMessage,
): Promise<void> {
  await enqueueEmail(trx, {
    id: newId(),
    organization_id: organizationId,
    kind,
    to_address: message.to,
    subject: message.subject,
    text_body: message.text,
  })
}

/** A fresh single-use link (hashed at rest, 24 h) to `email`, queued in `trx`. */
export async function queueVerification(
  deps: Pick<AppDeps, 'config'>,
  trx: Db,
  who: { organizationId: string; userId: string; email: string },
): Promise<void> {
  const token = randomToken()
  await insertEmailVerification(trx, {
    id: newId(),
    organization_id: who.organizationId,
    user_id: who.userId,
    email: who.email,
    token_hash: sha256(token),
    expires_at: new Date(Date.now() + VERIFICATION_TTL_MS),
  })
  const link = linkTo(deps.config.email.dashboardUrl, 'verify-email', token)
  await queueEmail(trx, who.organizationId, 'email_verification', verificationEmail(who.email, link))
}

/**
 * Follows a verification link: spends it (once, within 24 h) and marks the address proven. The
 * link is the proof, so no session is needed: it may be opened on another device.
 */
export async function verifyEmail(
  deps: AppDeps,
  requestId: string,
  token: string,
): Promise<z.infer<typeof EmailVerified>> {
  return deps.db.transaction().execute(async (trx) => {
    const v = await consumeEmailVerification(trx, sha256(token))
    if (!v) throw new AppError('not_found', 'This link is not valid any more: ask for a new one')
    // The address changed since the link was sent: it proves nothing about the current one.
    if (!(await markEmailVerified(trx, v.user_id, v.email)))
      throw new AppError('not_found', 'This link is not valid any more: ask for a new one')
    await auditAsUser(
      trx,
      { organizationId: v.organization_id, userId: v.user_id, requestId },
      'user.email_verified',
      { type: 'user', id: v.user_id },
    )
    return { email: v.email, emailVerified: true }
  })
}

/** Sends the signed-in user a new verification link (the route limits how often). */
export async function resendVerification(
  deps: AppDeps,
  caller: Caller,
): Promise<z.infer<typeof VerificationEmailSent>> {
  const actor = userOf(caller.auth)
  const sent = await deps.db.transaction().execute(async (trx) => {
    const user = await getUser(trx, actor.userId)
    if (!user) throw new AppError('unauthenticated')
    if (user.email_verified_at) throw new AppError('conflict', 'Your email address is already verified')
    await queueVerification(deps, trx, {
      organizationId: caller.auth.organizationId,
      userId: user.id,
      email: user.email,
    })
    return { email: user.email, delivery: deliveryOf(deps) }
  })
  deps.onEmailQueued?.()
  return sent
}

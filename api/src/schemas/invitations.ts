import { z } from 'zod'
import { Id, Role, Timestamp, pageOf } from './common.js'
import { EmailDelivery } from './email.js'

/** An invitation not yet accepted. Expired ones are listed too: they can be sent again. */
export const Invitation = z
  .object({
    id: Id,
    email: z.string(),
    role: Role,
    status: z.enum(['pending', 'expired']),
    createdAt: Timestamp,
    expiresAt: Timestamp,
  })
  .meta({ id: 'Invitation' })

export const InvitationPage = pageOf(Invitation).meta({ id: 'InvitationPage' })

/** A (re)sent invitation: how its email left, and, only without a mail server, its token once. */
export const InvitationSent = Invitation.extend({
  emailDelivery: EmailDelivery,
  /** Only when `emailDelivery` is `log` (no mail server): shown once, for the inviter to pass on. */
  inviteToken: z.string().optional(),
}).meta({ id: 'InvitationSent' })

import { z } from 'zod'
import { Email, Id, Role, Scope, Timestamp, pageOf } from './common.js'
import { EmailDelivery } from './email.js'

export const Member = z
  .object({
    id: Id,
    userId: Id.nullable(),
    email: z.string(),
    name: z.string().nullable(),
    role: Role,
    status: z.enum(['active', 'invited']),
    createdAt: Timestamp,
    /** How the invitation's email left (on the answer to an invitation only). */
    emailDelivery: EmailDelivery.optional(),
    /**
     * Only when `emailDelivery` is `log` (no mail server configured): shown once, when the
     * invitation is created, for the inviter to pass on. With a mail server only the email has it.
     */
    inviteToken: z.string().optional(),
  })
  .meta({ id: 'Member' })

export const MemberPage = pageOf(Member).meta({ id: 'MemberPage' })

export const NewMember = z.object({ email: Email, role: Role }).strict().meta({ id: 'NewMember' })
export const MemberPatch = z.object({ role: Role }).strict().meta({ id: 'MemberPatch' })

export const ApiKeyDto = z
  .object({
    id: Id,
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(Scope),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    /** When the key stops working: its expiry, or the end of a rotation's grace period. */
    endsAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' })
export const ApiKeyPage = pageOf(ApiKeyDto).meta({ id: 'ApiKeyPage' })
export const NewApiKey = z
  .object({
    name: z.string().max(100).trim().min(1),
    scopes: z.array(Scope).min(1).max(3),
    /** Days until the key expires; omitted = never (rotate it instead). */
    expiresInDays: z.number().int().min(1).max(730).optional(),
  })
  .strict()
  .meta({ id: 'NewApiKey' })
export const KeyRotation = z
  .object({
    /** Hours the old secret keeps working, to deploy the new one (0 = it stops now). */
    graceHours: z.number().int().min(0).max(168).default(0),
  })
  .strict()
  .meta({ id: 'KeyRotation' })
export const CreatedApiKey = ApiKeyDto.extend({ secret: z.string() }).meta({ id: 'CreatedApiKey' })

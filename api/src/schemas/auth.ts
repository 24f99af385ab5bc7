import { z } from 'zod'
import { Email, Id, Role, Vertical } from './common.js'

// NIST 800-63B: length over composition rules; cap it so scrypt input stays bounded.
const Password = z.string().min(10, 'at least 10 characters').max(200)

export const SignupBody = z
  .object({
    email: Email,
    password: Password,
    organizationName: z.string().max(120).trim().min(1),
    vertical: Vertical,
    name: z.string().max(120).trim().min(1).optional(),
  })
  .strict()
  .meta({ id: 'SignUp' })

export const LoginBody = z
  .object({ email: Email, password: z.string().min(1).max(200) })
  .strict()
  .meta({ id: 'Credentials' })

export const AcceptInviteBody = z
  .object({
    token: z.string().min(10).max(200),
    password: Password,
    name: z.string().max(120).trim().min(1).optional(),
  })
  .strict()
  .meta({ id: 'AcceptInvite' })

export const Me = z
  .object({
    user: z.object({
      id: Id,
      email: z.string(),
      name: z.string().nullable(),
      /** The address was proven (its emailed link followed); the dashboard asks until it is. */
      emailVerified: z.boolean(),
    }),
    organization: z.object({ id: Id, name: z.string(), vertical: Vertical }),
    role: Role,
  })
  .meta({ id: 'Me' })
export type Me = z.infer<typeof Me>

/** One organization the signed-in user belongs to, with their role in it. */
export const OrganizationMembership = z
  .object({
    organizationId: Id,
    name: z.string(),
    vertical: Vertical,
    role: Role,
    /** The organization this session acts in. */
    current: z.boolean(),
  })
  .meta({ id: 'OrganizationMembership' })
export const OrganizationMemberships = z
  .object({ items: z.array(OrganizationMembership) })
  .meta({ id: 'OrganizationMemberships' })

export const SwitchOrganizationBody = z
  .object({ organizationId: Id })
  .strict()
  .meta({ id: 'SwitchOrganization' })

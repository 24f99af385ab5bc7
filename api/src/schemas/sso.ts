import { z } from 'zod'
import { Email, Timestamp } from './common.js'

const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'an email domain such as acme.com',
  )

/** What an owner or admin sets: the provider, the email domain it handles, and enforcement. */
export const SsoSettingsBody = z
  .object({
    issuer: z.url({ protocol: /^https?$/ }).max(2000),
    clientId: z.string().trim().min(1).max(500),
    /** Omitted: keep the stored one (or none, a public client). Never read back. */
    clientSecret: z.string().min(1).max(2000).optional(),
    domain: Domain,
    /** Members (below owner) must sign in through the provider: password sign-in is refused. */
    enforced: z.boolean(),
  })
  .strict()
  .meta({ id: 'SsoSettingsUpdate' })

/** The organization's SSO as the API shows it: the client secret never leaves, only whether one is set. */
export const SsoSettings = z
  .object({
    configured: z.boolean(),
    issuer: z.string().nullable(),
    clientId: z.string().nullable(),
    hasClientSecret: z.boolean(),
    domain: z.string().nullable(),
    enforced: z.boolean(),
    /** The redirect URI to register at the provider. */
    redirectUri: z.string(),
    updatedAt: Timestamp.nullable(),
  })
  .meta({ id: 'SsoSettings' })

export const SsoStartBody = z.object({ email: Email }).strict().meta({ id: 'SsoStart' })
export const SsoStartOut = z.object({ authorizationUrl: z.string() }).meta({ id: 'SsoAuthorization' })

/**
 * The provider's redirect back: `code` + `state` (+ `iss`), or `error`; checked by the OIDC client.
 * Loose: providers add their own parameters (`scope`, `authuser`, `session_state`, `hd`…).
 */
export const SsoCallbackQuery = z
  .object({
    code: z.string().max(2000).optional(),
    state: z.string().max(2000).optional(),
    iss: z.string().max(2000).optional(),
    error: z.string().max(200).optional(),
    error_description: z.string().max(2000).optional(),
  })
  .loose()

import { z } from 'zod'

/**
 * How a queued email leaves: `smtp` = through the configured mail server; `log` = no mail server
 * is configured (SMTP_URL unset, e.g. `make dev`): it is written to the server's emails.log.
 */
export const EmailDelivery = z.enum(['smtp', 'log']).meta({ id: 'EmailDelivery' })

export const VerifyEmailBody = z
  .object({ token: z.string().min(10).max(200) })
  .strict()
  .meta({ id: 'VerifyEmail' })

export const EmailVerified = z
  .object({ email: z.string(), emailVerified: z.literal(true) })
  .meta({ id: 'EmailVerified' })

export const VerificationEmailSent = z
  .object({ email: z.string(), delivery: EmailDelivery })
  .meta({ id: 'VerificationEmailSent' })

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppDeps } from '../context.js'
import { callerOf } from '../plugins/auth.js'
import { EmailVerified, VerificationEmailSent, VerifyEmailBody } from '../schemas/email.js'
import * as email from '../services/email.js'

const tags = ['auth']

export const emailVerificationRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/auth/verify-email',
    {
      schema: { operationId: 'verifyEmail', tags, body: VerifyEmailBody, response: { 200: EmailVerified } },
      config: {
        access: 'public',
        problems: ['not_found'],
        // Tokens are 256-bit: the limit is against floods, not guessing.
        rateLimit: {
          max: deps.config.loginLimitPerMinute,
          timeWindow: '1 minute',
          keyGenerator: (req) => `verify-ip:${req.ip}`,
        },
      },
    },
    async (req) => email.verifyEmail(deps, req.id, req.body.token),
  )
  app.post(
    '/auth/verification-email',
    {
      schema: {
        operationId: 'resendVerificationEmail',
        tags,
        response: { 202: VerificationEmailSent },
      },
      config: {
        access: 'authenticated',
        problems: ['forbidden', 'conflict'],
        // Each call mails someone: a few an hour per user (their own inbox, never a stranger's).
        rateLimit: {
          max: deps.config.email.resendLimitPerHour,
          timeWindow: '1 hour',
          keyGenerator: (req) =>
            req.auth?.actor.type === 'user'
              ? `verify-mail:${req.auth.actor.userId}`
              : `verify-mail-ip:${req.ip}`,
        },
      },
    },
    async (req, reply) => reply.code(202).send(await email.resendVerification(deps, callerOf(req))),
  )
}

import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppDeps } from '../context.js'
import { authOf, callerOf } from '../plugins/auth.js'
import {
  AcceptInviteBody,
  LoginBody,
  Me,
  OrganizationMemberships,
  SignupBody,
  SwitchOrganizationBody,
} from '../schemas/auth.js'
import * as auth from '../services/auth.js'
import { AppError } from '../errors.js'
import { safeEqual } from '../auth/crypto.js'
import {
  CSRF_COOKIE,
  CSRF_HEADER,
  REFRESH_COOKIE,
  clearSessionCookies,
  setSessionCookies,
} from '../auth/cookies.js'

const tags = ['auth']

/** Sets the session's cookies on the reply and answers with who signed in. */
function signIn(reply: FastifyReply, signedIn: auth.SignedIn): Me {
  setSessionCookies(reply, signedIn.cookies)
  return signedIn.me
}

export const authRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const perIp = {
    max: deps.config.loginLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (req: { ip: string }) => `ip:${req.ip}`,
  }
  // A second limiter keyed by the account, so rotating IPs does not buy more guesses at one password.
  // createRateLimit (not app.rateLimit): the per-IP hook already ran on this request, and
  // app.rateLimit() skips a request that another limiter has counted.
  const accountLimit = app.createRateLimit({
    max: deps.config.loginLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (req) => {
      const email = (req.body as { email?: unknown } | undefined)?.email
      return `acct:${typeof email === 'string' ? email.toLowerCase() : ''}`
    },
  })
  const perAccount = async (req: FastifyRequest) => {
    const r = await accountLimit(req)
    if (!r.isAllowed && r.isExceeded)
      throw new AppError('rate_limited', 'Too many attempts for this account; wait a minute')
  }

  app.post(
    '/auth/signup',
    {
      schema: { operationId: 'signUp', tags, body: SignupBody, response: { 201: Me } },
      config: { access: 'public', problems: ['email_taken'], rateLimit: perIp },
    },
    async (req, reply) => reply.code(201).send(signIn(reply, await auth.signup(deps, req.id, req.body))),
  )
  app.post(
    '/auth/login',
    {
      schema: { operationId: 'signIn', tags, body: LoginBody, response: { 200: Me } },
      config: { access: 'public', problems: ['invalid_credentials'], rateLimit: perIp },
      preHandler: perAccount,
    },
    async (req, reply) => signIn(reply, await auth.login(deps, req.body)),
  )
  app.post(
    '/auth/accept-invite',
    {
      schema: { operationId: 'acceptInvite', tags, body: AcceptInviteBody, response: { 201: Me } },
      config: { access: 'public', problems: ['not_found', 'email_taken'], rateLimit: perIp },
    },
    async (req, reply) =>
      reply.code(201).send(signIn(reply, await auth.acceptInvite(deps, req.id, req.body))),
  )
  app.post(
    '/auth/refresh',
    {
      schema: { operationId: 'refreshSession', tags, response: { 200: Me } },
      config: { access: 'public', problems: ['unauthenticated', 'csrf_failed'], rateLimit: perIp },
    },
    async (req, reply) => {
      // Refresh is cookie-driven, so it needs the double-submit token like any cookie write.
      const cookie = req.cookies[CSRF_COOKIE]
      const sent = req.headers[CSRF_HEADER]
      if (!cookie || typeof sent !== 'string' || !safeEqual(cookie, sent)) throw new AppError('csrf_failed')
      try {
        return signIn(reply, await auth.refresh(deps, req.cookies[REFRESH_COOKIE]))
      } catch (err) {
        // A refused refresh token ends the browser's session too (reuse detection revoked it).
        clearSessionCookies(reply)
        throw err
      }
    },
  )
  app.post(
    '/auth/logout',
    {
      schema: { operationId: 'signOut', tags, response: { 204: z.null() } },
      config: { access: 'authenticated' },
    },
    async (req, reply) => {
      await auth.logout(deps, authOf(req))
      clearSessionCookies(reply)
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/auth/me',
    {
      schema: { operationId: 'getMe', tags, response: { 200: Me } },
      config: { access: 'authenticated', problems: ['forbidden'] },
    },
    async (req) => auth.me(deps, authOf(req)),
  )
  app.get(
    '/auth/organizations',
    {
      schema: { operationId: 'listMyOrganizations', tags, response: { 200: OrganizationMemberships } },
      config: { access: 'authenticated', problems: ['forbidden'] },
    },
    async (req) => auth.organizations(deps, authOf(req)),
  )
  app.post(
    '/auth/switch-organization',
    {
      schema: {
        operationId: 'switchOrganization',
        tags,
        body: SwitchOrganizationBody,
        response: { 200: Me },
      },
      config: { access: 'authenticated', problems: ['forbidden', 'not_found'] },
    },
    async (req, reply) =>
      signIn(reply, await auth.switchOrganization(deps, callerOf(req), req.body.organizationId)),
  )
}

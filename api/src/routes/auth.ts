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
import type { SignedIn } from '../services/sessions.js'
import { AppError } from '../errors.js'
import { deviceToken, safeEqual } from '../auth/crypto.js'
import {
  CSRF_COOKIE,
  CSRF_HEADER,
  DEVICE_COOKIE,
  DEVICE_TTL_MS,
  REFRESH_COOKIE,
  clearSessionCookies,
  setSessionCookies,
} from '../auth/cookies.js'

const tags = ['auth']

const emailOf = (req: FastifyRequest): string => {
  const email = (req.body as { email?: unknown } | undefined)?.email
  return typeof email === 'string' ? email.trim().toLowerCase() : ''
}

/** Sets the session's cookies on the reply and answers with who signed in. */
function signIn(reply: FastifyReply, signedIn: SignedIn): Me {
  setSessionCookies(reply, signedIn.cookies)
  return signedIn.me
}

export const authRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const perIp = {
    max: deps.config.loginLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (req: { ip: string }) => `ip:${req.ip}`,
  }
  // A second limiter keyed by the account, so rotating addresses does not buy more guesses at one
  // password. Looser than the per-address one (×5): a flood from one address stops at that
  // address's limit and never locks the account; and a device the account signed in from before
  // (its cookie) skips it, so even a distributed flood does not lock the real user out.
  // createRateLimit (not app.rateLimit): the per-IP hook already ran on this request, and
  // app.rateLimit() skips a request that another limiter has counted.
  const accountLimit = app.createRateLimit({
    max: deps.config.loginLimitPerMinute * 5,
    timeWindow: '1 minute',
    keyGenerator: (req) => `acct:${emailOf(req)}`,
  })
  const perAccount = async (req: FastifyRequest) => {
    const device = req.cookies[DEVICE_COOKIE]
    if (device && safeEqual(device, deviceToken(deps.secret, emailOf(req)))) return
    const r = await accountLimit(req)
    if (!r.isAllowed && r.isExceeded)
      throw new AppError('rate_limited', 'Too many attempts for this account; wait a minute')
  }
  const rememberDevice = (reply: FastifyReply, email: string) =>
    reply.setCookie(DEVICE_COOKIE, deviceToken(deps.secret, email), {
      sameSite: 'lax',
      secure: deps.config.secureCookies,
      httpOnly: true,
      path: '/api/v1/auth',
      maxAge: DEVICE_TTL_MS / 1000,
    })

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
      config: { access: 'public', problems: ['invalid_credentials', 'sso_required'], rateLimit: perIp },
      preHandler: perAccount,
    },
    async (req, reply) => {
      const me = signIn(reply, await auth.login(deps, req.id, req.body))
      rememberDevice(reply, req.body.email)
      return me
    },
  )
  app.post(
    '/auth/accept-invite',
    {
      schema: { operationId: 'acceptInvite', tags, body: AcceptInviteBody, response: { 201: Me } },
      config: {
        access: 'public',
        problems: ['not_found', 'invalid_credentials', 'conflict', 'sso_required'],
        rateLimit: perIp,
      },
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
      config: { access: 'authenticated', problems: ['forbidden', 'not_found', 'sso_required'] },
    },
    async (req, reply) =>
      signIn(reply, await auth.switchOrganization(deps, callerOf(req), req.body.organizationId)),
  )
}

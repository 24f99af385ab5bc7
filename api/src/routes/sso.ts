import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppDeps } from '../context.js'
import { AppError } from '../errors.js'
import { authOf, callerOf } from '../plugins/auth.js'
import { setSessionCookies } from '../auth/cookies.js'
import { SsoCallbackQuery, SsoSettings, SsoSettingsBody, SsoStartBody, SsoStartOut } from '../schemas/sso.js'
import * as sso from '../services/sso.js'

/** Carries state, nonce and the PKCE verifier (sealed) from the start to the callback. */
const FLOW_COOKIE = 'luneo_sso'
const FLOW_PATH = '/api/v1/auth/sso'

export const ssoRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const perIp = {
    max: deps.config.loginLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (req: { ip: string }) => `ip:${req.ip}`,
  }

  app.get(
    '/organization/sso',
    {
      schema: { operationId: 'getSsoSettings', tags: ['organization'], response: { 200: SsoSettings } },
      config: { access: { role: 'admin', scopes: ['admin'] } },
    },
    async (req) => sso.readSso(deps, authOf(req)),
  )
  app.put(
    '/organization/sso',
    {
      schema: {
        operationId: 'updateSsoSettings',
        tags: ['organization'],
        body: SsoSettingsBody,
        response: { 200: SsoSettings },
      },
      config: {
        access: { role: 'admin', scopes: ['admin'] },
        problems: ['conflict', 'sso_issuer_invalid'],
      },
    },
    async (req) => sso.saveSso(deps, callerOf(req), req.body),
  )
  app.delete(
    '/organization/sso',
    {
      schema: { operationId: 'deleteSsoSettings', tags: ['organization'], response: { 204: z.null() } },
      config: { access: { role: 'admin', scopes: ['admin'] } },
    },
    async (req, reply) => {
      await sso.removeSso(deps, callerOf(req))
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/auth/sso/start',
    {
      schema: { operationId: 'startSso', tags: ['auth'], body: SsoStartBody, response: { 200: SsoStartOut } },
      config: {
        access: 'public',
        problems: ['sso_not_configured', 'sso_provider_unreachable'],
        rateLimit: perIp,
      },
    },
    async (req, reply) => {
      const started = await sso.startSso(deps, req.body.email.trim().toLowerCase())
      void reply.setCookie(FLOW_COOKIE, started.flowCookie, {
        // Lax: the provider's redirect back is a top-level GET navigation, which carries it.
        sameSite: 'lax',
        secure: deps.config.secureCookies,
        httpOnly: true,
        path: FLOW_PATH,
        maxAge: sso.FLOW_TTL_MS / 1000,
      })
      return { authorizationUrl: started.url }
    },
  )
  app.get(
    '/auth/sso/callback',
    {
      schema: {
        operationId: 'finishSso',
        tags: ['auth'],
        querystring: SsoCallbackQuery,
        response: { 303: z.null() },
      },
      config: {
        access: 'public',
        problems: ['sso_failed', 'sso_email_unverified', 'sso_no_access', 'sso_provider_unreachable'],
        rateLimit: perIp,
      },
    },
    async (req, reply) => {
      // The flow is single-use whatever happens: a second callback with the same cookie finds none.
      void reply.clearCookie(FLOW_COOKIE, { path: FLOW_PATH })
      const url = new URL(req.url, deps.config.publicUrl)
      try {
        const signedIn = await sso.finishSso(deps, req.id, req.cookies[FLOW_COOKIE], url, req.log)
        setSessionCookies(reply, signedIn.cookies)
        return reply.code(303).header('location', '/').send(null)
      } catch (err) {
        // A browser (the provider redirected it here) goes back to the sign-in page, which says
        // why from the code; API clients get the problem document.
        if (err instanceof AppError && (req.headers.accept ?? '').includes('text/html'))
          return reply.code(303).header('location', `/sign-in?sso=${err.code}`).send(null)
        throw err
      }
    },
  )
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppDeps } from '../context.js'
import { authOf, callerOf } from '../plugins/auth.js'
import { Onboarding, OnboardingAnswers } from '../schemas/onboarding.js'
import * as onboarding from '../services/onboarding.js'

const tags = ['onboarding']

export const onboardingRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/onboarding',
    {
      schema: { operationId: 'getOnboarding', tags, response: { 200: Onboarding } },
      config: { access: { role: 'viewer', scopes: ['admin'] } },
    },
    async (req) => onboarding.readOnboarding(deps, authOf(req)),
  )
  app.put(
    '/onboarding/answers',
    {
      schema: {
        operationId: 'saveOnboardingAnswers',
        tags,
        body: OnboardingAnswers,
        response: { 200: Onboarding },
      },
      config: { access: { role: 'admin', scopes: ['admin'] } },
    },
    async (req) => onboarding.saveOnboardingAnswers(deps, callerOf(req), req.body),
  )
}

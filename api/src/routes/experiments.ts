import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppDeps } from '../context.js'
import { authOf, callerOf } from '../plugins/auth.js'
import { IdParams, PageQuery, pageOf } from '../schemas/common.js'
import { Experiment, NewExperiment, NewPromptVersion, PromptVersion } from '../schemas/engine.js'
import * as x from '../services/experiments.js'

const tags = ['experiments']
const read = { role: 'viewer', scopes: ['analytics:read'] } as const
const write = { role: 'admin', scopes: ['admin'] } as const

export const experimentRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/prompt-versions',
    { schema: { tags, body: NewPromptVersion, response: { 201: PromptVersion } }, config: { access: write } },
    async (req, reply) => reply.code(201).send(await x.createPromptVersion(deps, callerOf(req), req.body)),
  )
  app.get(
    '/prompt-versions',
    {
      schema: { tags, querystring: PageQuery, response: { 200: pageOf(PromptVersion) } },
      config: { access: read },
    },
    async (req) => x.listPrompts(deps, authOf(req), req.query),
  )
  app.get(
    '/prompt-versions/:id',
    { schema: { tags, params: IdParams, response: { 200: PromptVersion } }, config: { access: read } },
    async (req) => x.readPrompt(deps, authOf(req), req.params.id),
  )
  app.post(
    '/experiments',
    { schema: { tags, body: NewExperiment, response: { 201: Experiment } }, config: { access: write } },
    async (req, reply) => reply.code(201).send(await x.createExperiment(deps, callerOf(req), req.body)),
  )
  app.get(
    '/experiments',
    {
      schema: { tags, querystring: PageQuery, response: { 200: pageOf(Experiment) } },
      config: { access: read },
    },
    async (req) => x.listOrgExperiments(deps, authOf(req), req.query),
  )
  app.get(
    '/experiments/:id',
    { schema: { tags, params: IdParams, response: { 200: Experiment } }, config: { access: read } },
    async (req) => x.readExperiment(deps, authOf(req), req.params.id),
  )
  app.post(
    '/experiments/:id/stop',
    { schema: { tags, params: IdParams, response: { 200: Experiment } }, config: { access: write } },
    async (req) => x.stopExperiment(deps, callerOf(req), req.params.id),
  )
}

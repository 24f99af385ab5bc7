import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppDeps } from '../context.js'
import { authOf, callerOf } from '../plugins/auth.js'
import { IdParams, PageQuery } from '../schemas/common.js'
import {
  Experiment,
  ExperimentPage,
  NewExperiment,
  NewPromptVersion,
  PromptVersion,
  PromptVersionPage,
} from '../schemas/engine.js'
import * as x from '../services/experiments.js'

const tags = ['experiments']
const read = { role: 'viewer', scopes: ['analytics:read'] } as const
const write = { role: 'admin', scopes: ['admin'] } as const

export const experimentRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/prompt-versions',
    {
      schema: {
        operationId: 'createPromptVersion',
        tags,
        body: NewPromptVersion,
        response: { 201: PromptVersion },
      },
      config: { access: write },
    },
    async (req, reply) => reply.code(201).send(await x.createPromptVersion(deps, callerOf(req), req.body)),
  )
  app.get(
    '/prompt-versions',
    {
      schema: {
        operationId: 'listPromptVersions',
        tags,
        querystring: PageQuery,
        response: { 200: PromptVersionPage },
      },
      config: { access: read },
    },
    async (req) => x.listPrompts(deps, authOf(req), req.query),
  )
  app.get(
    '/prompt-versions/:id',
    {
      schema: { operationId: 'getPromptVersion', tags, params: IdParams, response: { 200: PromptVersion } },
      config: { access: read },
    },
    async (req) => x.readPrompt(deps, authOf(req), req.params.id),
  )
  app.post(
    '/experiments',
    {
      schema: { operationId: 'createExperiment', tags, body: NewExperiment, response: { 201: Experiment } },
      config: { access: write, problems: ['not_found', 'conflict'] },
    },
    async (req, reply) => reply.code(201).send(await x.createExperiment(deps, callerOf(req), req.body)),
  )
  app.get(
    '/experiments',
    {
      schema: {
        operationId: 'listExperiments',
        tags,
        querystring: PageQuery,
        response: { 200: ExperimentPage },
      },
      config: { access: read },
    },
    async (req) => x.listOrgExperiments(deps, authOf(req), req.query),
  )
  app.get(
    '/experiments/:id',
    {
      schema: { operationId: 'getExperiment', tags, params: IdParams, response: { 200: Experiment } },
      config: { access: read },
    },
    async (req) => x.readExperiment(deps, authOf(req), req.params.id),
  )
  app.post(
    '/experiments/:id/stop',
    {
      schema: { operationId: 'stopExperiment', tags, params: IdParams, response: { 200: Experiment } },
      config: { access: write },
    },
    async (req) => x.stopExperiment(deps, callerOf(req), req.params.id),
  )
}

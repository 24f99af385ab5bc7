import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppDeps } from '../context.js'
import { authOf, callerOf } from '../plugins/auth.js'
import { IdParams, PageQuery } from '../schemas/common.js'
import { Agent, AgentPage, AgentPatch, NewAgent } from '../schemas/resources.js'
import * as agents from '../services/agents.js'

const tags = ['agents']
const read = { role: 'viewer', scopes: ['conversations:write', 'analytics:read'] } as const
const write = { role: 'admin', scopes: ['admin'] } as const

export const agentRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/agents',
    {
      schema: { operationId: 'listAgents', tags, querystring: PageQuery, response: { 200: AgentPage } },
      config: { access: read },
    },
    async (req) => agents.listOrgAgents(deps, authOf(req), req.query),
  )
  app.post(
    '/agents',
    {
      schema: { operationId: 'createAgent', tags, body: NewAgent, response: { 201: Agent } },
      config: { access: write, problems: ['not_found', 'compliance_required'] },
    },
    async (req, reply) => reply.code(201).send(await agents.createAgent(deps, callerOf(req), req.body)),
  )
  app.get(
    '/agents/:id',
    {
      schema: { operationId: 'getAgent', tags, params: IdParams, response: { 200: Agent } },
      config: { access: read },
    },
    async (req) => agents.readAgent(deps, authOf(req), req.params.id),
  )
  app.patch(
    '/agents/:id',
    {
      schema: {
        operationId: 'updateAgent',
        tags,
        params: IdParams,
        body: AgentPatch,
        response: { 200: Agent },
      },
      config: { access: write },
    },
    async (req) => agents.patchAgent(deps, callerOf(req), req.params.id, req.body),
  )
  app.delete(
    '/agents/:id',
    {
      schema: { operationId: 'deleteAgent', tags, params: IdParams, response: { 204: z.null() } },
      config: { access: write, problems: ['conflict'] },
    },
    async (req, reply) => {
      await agents.removeAgent(deps, callerOf(req), req.params.id)
      return reply.code(204).send(null)
    },
  )
}

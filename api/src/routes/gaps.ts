import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppDeps } from '../context.js'
import { authOf, callerOf } from '../plugins/auth.js'
import { IdParams } from '../schemas/common.js'
import { AcceptGap, GapQuery, KnowledgeGap, KnowledgeGapLift, KnowledgeGapPage } from '../schemas/flywheel.js'
import * as gaps from '../services/gaps.js'

const tags = ['knowledge-gaps']
const read = { role: 'viewer', scopes: ['analytics:read'] } as const
const write = { role: 'admin', scopes: ['admin'] } as const

/** The knowledge-gap review queue (written by the knowledge_gaps_v1 job). */
export const gapRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/analytics/knowledge-gaps',
    {
      schema: {
        operationId: 'listKnowledgeGaps',
        tags,
        querystring: GapQuery,
        response: { 200: KnowledgeGapPage },
      },
      config: { access: read },
    },
    async (req) => gaps.listGaps(deps, authOf(req), req.query),
  )
  app.get(
    '/analytics/knowledge-gaps/:id',
    {
      schema: { operationId: 'getKnowledgeGap', tags, params: IdParams, response: { 200: KnowledgeGap } },
      config: { access: read },
    },
    async (req) => gaps.readGap(deps, authOf(req), req.params.id),
  )
  app.get(
    '/analytics/knowledge-gaps/:id/lift',
    {
      schema: {
        operationId: 'getKnowledgeGapLift',
        tags,
        params: IdParams,
        response: { 200: KnowledgeGapLift },
      },
      config: { access: read },
    },
    async (req) => gaps.readGapLift(deps, authOf(req), req.params.id),
  )
  app.post(
    '/analytics/knowledge-gaps/:id/accept',
    {
      schema: {
        operationId: 'acceptKnowledgeGap',
        tags,
        params: IdParams,
        body: AcceptGap,
        response: { 200: KnowledgeGap },
      },
      config: { access: write, problems: ['conflict'] },
    },
    async (req) => gaps.acceptGap(deps, callerOf(req), req.params.id, req.body ?? {}),
  )
  app.post(
    '/analytics/knowledge-gaps/:id/reject',
    {
      schema: { operationId: 'rejectKnowledgeGap', tags, params: IdParams, response: { 200: KnowledgeGap } },
      config: { access: write, problems: ['conflict'] },
    },
    async (req) => gaps.rejectGap(deps, callerOf(req), req.params.id),
  )
}

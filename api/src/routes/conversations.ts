import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppDeps } from '../context.js'
import { authOf, callerOf } from '../plugins/auth.js'
import { IdParams } from '../schemas/common.js'
import {
  Conversation,
  ConversationDetail,
  ConversationPage,
  ConversationQuery,
  FeedbackDto,
  NewConversation,
  NewFeedback,
  NewOutcome,
  OutcomeDto,
} from '../schemas/resources.js'
import * as conversations from '../services/conversations.js'

const tags = ['conversations']
const read = { role: 'viewer', scopes: ['conversations:write', 'analytics:read'] } as const
const write = { role: 'analyst', scopes: ['conversations:write'] } as const

export const conversationRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/conversations',
    {
      schema: {
        operationId: 'createConversation',
        tags,
        body: NewConversation,
        response: { 201: Conversation },
      },
      config: { access: write, problems: ['not_found'] },
    },
    async (req, reply) =>
      reply.code(201).send(await conversations.openConversation(deps, callerOf(req), req.body)),
  )
  app.get(
    '/conversations',
    {
      schema: {
        operationId: 'listConversations',
        tags,
        querystring: ConversationQuery,
        response: { 200: ConversationPage },
      },
      config: { access: read },
    },
    async (req) => {
      const { limit, cursor, from, to, ...filters } = req.query
      return conversations.listOrgConversations(
        deps,
        authOf(req),
        { ...filters, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
        { limit, cursor },
      )
    },
  )
  app.get(
    '/conversations/:id',
    {
      schema: {
        operationId: 'getConversation',
        tags,
        params: IdParams,
        response: { 200: ConversationDetail },
      },
      config: { access: read },
    },
    async (req) => conversations.readConversation(deps, authOf(req), req.params.id),
  )
  app.post(
    '/conversations/:id/feedback',
    {
      schema: {
        operationId: 'addFeedback',
        tags,
        params: IdParams,
        body: NewFeedback,
        response: { 201: FeedbackDto },
      },
      config: { access: write },
    },
    async (req, reply) =>
      reply.code(201).send(await conversations.addFeedback(deps, callerOf(req), req.params.id, req.body)),
  )
  app.post(
    '/conversations/:id/outcome',
    {
      schema: {
        operationId: 'recordOutcome',
        tags,
        params: IdParams,
        body: NewOutcome,
        response: { 201: OutcomeDto },
      },
      config: { access: write },
    },
    async (req, reply) =>
      reply.code(201).send(await conversations.recordOutcome(deps, callerOf(req), req.params.id, req.body)),
  )
}

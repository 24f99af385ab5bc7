import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppDeps } from '../context.js'
import { authOf, callerOf } from '../plugins/auth.js'
import {
  ApiKeyPage,
  CreatedApiKey,
  KeyRotation,
  Member,
  MemberPage,
  MemberPatch,
  NewApiKey,
  NewMember,
} from '../schemas/access.js'
import { IdParams, PageQuery } from '../schemas/common.js'
import * as access from '../services/access.js'

const admin = { role: 'admin', scopes: ['admin'] } as const

export const accessRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/members',
    {
      schema: {
        operationId: 'listMembers',
        tags: ['members'],
        querystring: PageQuery,
        response: { 200: MemberPage },
      },
      config: { access: { role: 'viewer', scopes: ['admin'] } },
    },
    async (req) => access.listOrgMembers(deps, authOf(req), req.query),
  )
  app.post(
    '/members',
    {
      schema: { operationId: 'inviteMember', tags: ['members'], body: NewMember, response: { 201: Member } },
      config: { access: admin, problems: ['conflict'] },
    },
    async (req, reply) => reply.code(201).send(await access.addMember(deps, callerOf(req), req.body)),
  )
  app.patch(
    '/members/:id',
    {
      schema: {
        operationId: 'changeMemberRole',
        tags: ['members'],
        params: IdParams,
        body: MemberPatch,
        response: { 200: Member },
      },
      config: { access: admin, problems: ['not_found', 'conflict'] },
    },
    async (req) => access.changeMemberRole(deps, callerOf(req), req.params.id, req.body),
  )
  app.delete(
    '/members/:id',
    {
      schema: {
        operationId: 'removeMember',
        tags: ['members'],
        params: IdParams,
        response: { 204: z.null() },
      },
      config: { access: admin, problems: ['not_found', 'conflict'] },
    },
    async (req, reply) => {
      await access.removeMember(deps, callerOf(req), req.params.id)
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/api-keys',
    {
      schema: {
        operationId: 'listApiKeys',
        tags: ['api-keys'],
        querystring: PageQuery,
        response: { 200: ApiKeyPage },
      },
      config: { access: admin },
    },
    async (req) => access.listKeys(deps, authOf(req), req.query),
  )
  app.post(
    '/api-keys',
    {
      schema: {
        operationId: 'createApiKey',
        tags: ['api-keys'],
        body: NewApiKey,
        response: { 201: CreatedApiKey },
      },
      config: { access: admin },
    },
    async (req, reply) => reply.code(201).send(await access.createApiKey(deps, callerOf(req), req.body)),
  )
  app.post(
    '/api-keys/:id/rotate',
    {
      schema: {
        operationId: 'rotateApiKey',
        tags: ['api-keys'],
        params: IdParams,
        body: KeyRotation,
        response: { 201: CreatedApiKey },
      },
      config: { access: admin, problems: ['not_found'] },
    },
    async (req, reply) =>
      reply.code(201).send(await access.rotateApiKey(deps, callerOf(req), req.params.id, req.body)),
  )
  app.delete(
    '/api-keys/:id',
    {
      schema: {
        operationId: 'revokeApiKey',
        tags: ['api-keys'],
        params: IdParams,
        response: { 204: z.null() },
      },
      config: { access: admin },
    },
    async (req, reply) => {
      await access.deleteKey(deps, callerOf(req), req.params.id)
      return reply.code(204).send(null)
    },
  )
}

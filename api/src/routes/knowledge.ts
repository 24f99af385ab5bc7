import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppDeps } from '../context.js'
import { authOf } from '../plugins/auth.js'
import { IdParams, PageQuery, pageOf } from '../schemas/common.js'
import {
  DocumentDto,
  DocumentParams,
  KnowledgeBase,
  NewDocument,
  NewKnowledgeBase,
} from '../schemas/resources.js'
import * as kb from '../services/knowledge.js'

const tags = ['knowledge']
const read = { role: 'viewer', scopes: ['conversations:write', 'analytics:read'] } as const
const write = { role: 'admin', scopes: ['admin'] } as const

export const knowledgeRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/knowledge-bases',
    {
      schema: { tags, querystring: PageQuery, response: { 200: pageOf(KnowledgeBase) } },
      config: { access: read },
    },
    async (req) => kb.listOrgKnowledgeBases(deps, authOf(req), req.query),
  )
  app.post(
    '/knowledge-bases',
    { schema: { tags, body: NewKnowledgeBase, response: { 201: KnowledgeBase } }, config: { access: write } },
    async (req, reply) =>
      reply.code(201).send(await kb.createKnowledgeBase(deps, req, authOf(req), req.body)),
  )
  app.get(
    '/knowledge-bases/:id',
    { schema: { tags, params: IdParams, response: { 200: KnowledgeBase } }, config: { access: read } },
    async (req) => kb.readKnowledgeBase(deps, authOf(req), req.params.id),
  )
  app.delete(
    '/knowledge-bases/:id',
    { schema: { tags, params: IdParams, response: { 204: z.null() } }, config: { access: write } },
    async (req, reply) => {
      await kb.removeKnowledgeBase(deps, req, authOf(req), req.params.id)
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/knowledge-bases/:id/documents',
    {
      schema: { tags, params: IdParams, querystring: PageQuery, response: { 200: pageOf(DocumentDto) } },
      config: { access: read },
    },
    async (req) => kb.listKbDocuments(deps, authOf(req), req.params.id, req.query),
  )
  app.post(
    '/knowledge-bases/:id/documents',
    {
      schema: { tags, params: IdParams, body: NewDocument, response: { 201: DocumentDto } },
      config: { access: write },
    },
    async (req, reply) =>
      reply.code(201).send(await kb.addDocument(deps, req, authOf(req), req.params.id, req.body)),
  )
  app.get(
    '/knowledge-bases/:id/documents/:docId',
    { schema: { tags, params: DocumentParams, response: { 200: DocumentDto } }, config: { access: read } },
    async (req) => kb.readDocument(deps, authOf(req), req.params.id, req.params.docId),
  )
  app.delete(
    '/knowledge-bases/:id/documents/:docId',
    { schema: { tags, params: DocumentParams, response: { 204: z.null() } }, config: { access: write } },
    async (req, reply) => {
      await kb.removeDocument(deps, req, authOf(req), req.params.id, req.params.docId)
      return reply.code(204).send(null)
    },
  )
}

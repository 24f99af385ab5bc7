import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppDeps } from '../context.js'
import { authOf, callerOf } from '../plugins/auth.js'
import { IdParams, PageQuery } from '../schemas/common.js'
import {
  DocumentDto,
  DocumentPage,
  DocumentParams,
  KnowledgeBase,
  KnowledgeBasePage,
  NewDocument,
  NewKnowledgeBase,
  UploadDocument,
} from '../schemas/resources.js'
import { Chunks } from '../schemas/engine.js'
import * as kb from '../services/knowledge.js'
import { AppError } from '../errors.js'

const tags = ['knowledge']
const read = { role: 'viewer', scopes: ['conversations:write', 'analytics:read'] } as const
const write = { role: 'admin', scopes: ['admin'] } as const

export const knowledgeRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/knowledge-bases',
    {
      schema: {
        operationId: 'listKnowledgeBases',
        tags,
        querystring: PageQuery,
        response: { 200: KnowledgeBasePage },
      },
      config: { access: read },
    },
    async (req) => kb.listOrgKnowledgeBases(deps, authOf(req), req.query),
  )
  app.post(
    '/knowledge-bases',
    {
      schema: {
        operationId: 'createKnowledgeBase',
        tags,
        body: NewKnowledgeBase,
        response: { 201: KnowledgeBase },
      },
      config: { access: write },
    },
    async (req, reply) => reply.code(201).send(await kb.createKnowledgeBase(deps, callerOf(req), req.body)),
  )
  app.get(
    '/knowledge-bases/:id',
    {
      schema: { operationId: 'getKnowledgeBase', tags, params: IdParams, response: { 200: KnowledgeBase } },
      config: { access: read },
    },
    async (req) => kb.readKnowledgeBase(deps, authOf(req), req.params.id),
  )
  app.delete(
    '/knowledge-bases/:id',
    {
      schema: { operationId: 'deleteKnowledgeBase', tags, params: IdParams, response: { 204: z.null() } },
      config: { access: write },
    },
    async (req, reply) => {
      await kb.removeKnowledgeBase(deps, callerOf(req), req.params.id)
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/knowledge-bases/:id/documents',
    {
      schema: {
        operationId: 'listDocuments',
        tags,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: DocumentPage },
      },
      config: { access: read },
    },
    async (req) => kb.listKbDocuments(deps, authOf(req), req.params.id, req.query),
  )
  app.post(
    '/knowledge-bases/:id/documents',
    {
      schema: {
        operationId: 'createDocument',
        tags,
        params: IdParams,
        body: NewDocument,
        response: { 201: DocumentDto },
      },
      config: { access: write },
    },
    async (req, reply) =>
      reply.code(201).send(await kb.addDocument(deps, callerOf(req), req.params.id, req.body)),
  )
  app.get(
    '/knowledge-bases/:id/documents/:docId',
    {
      schema: { operationId: 'getDocument', tags, params: DocumentParams, response: { 200: DocumentDto } },
      config: { access: read },
    },
    async (req) => kb.readDocument(deps, authOf(req), req.params.id, req.params.docId),
  )
  app.delete(
    '/knowledge-bases/:id/documents/:docId',
    {
      schema: { operationId: 'deleteDocument', tags, params: DocumentParams, response: { 204: z.null() } },
      config: { access: write },
    },
    async (req, reply) => {
      await kb.removeDocument(deps, callerOf(req), req.params.id, req.params.docId)
      return reply.code(204).send(null)
    },
  )
  app.put(
    '/knowledge-bases/:id/documents/:docId',
    {
      schema: {
        operationId: 'replaceDocument',
        tags,
        params: DocumentParams,
        body: NewDocument,
        response: { 200: DocumentDto },
      },
      config: { access: write },
    },
    async (req) => kb.replaceDocument(deps, callerOf(req), req.params.id, req.params.docId, req.body),
  )
  // The owner vouches for a template's starter document: only then may retrieval answer from it.
  app.post(
    '/knowledge-bases/:id/documents/:docId/confirm',
    {
      schema: {
        operationId: 'confirmDocument',
        tags,
        params: DocumentParams,
        response: { 200: DocumentDto },
      },
      config: { access: write },
    },
    async (req) => kb.confirmKnowledgeDocument(deps, callerOf(req), req.params.id, req.params.docId),
  )
  app.get(
    '/knowledge-bases/:id/documents/:docId/chunks',
    {
      schema: { operationId: 'getDocumentChunks', tags, params: DocumentParams, response: { 200: Chunks } },
      config: { access: read },
    },
    async (req) => kb.documentChunks(deps, authOf(req), req.params.id, req.params.docId),
  )
  // Multipart upload of a .md or .txt file; the file name (without extension) is the title.
  app.post(
    '/knowledge-bases/:id/documents/upload',
    {
      schema: {
        operationId: 'uploadDocument',
        tags,
        params: IdParams,
        consumes: ['multipart/form-data'],
        documentedOnly: { body: UploadDocument },
        response: { 201: DocumentDto },
      },
      config: { access: write },
    },
    async (req, reply) => {
      if (!req.isMultipart())
        throw new AppError('unsupported_media_type', 'Send multipart/form-data with a "file" field')
      // A malformed multipart body (no boundary, truncated) is the client's error, not ours.
      const file = await req.file({ limits: { fileSize: 1_000_000, files: 1 } }).catch((err: unknown) => {
        const why = err instanceof Error ? err.message : 'invalid'
        throw new AppError('validation_failed', `Not a readable multipart body: ${why}`)
      })
      if (!file)
        throw new AppError('validation_failed', 'No file', [{ path: 'body.file', message: 'required' }])
      if (!/\.(md|markdown|txt)$/i.test(file.filename)) {
        throw new AppError('validation_failed', 'Only .md and .txt files', [
          { path: 'body.file', message: 'must be .md or .txt' },
        ])
      }
      const text = (await file.toBuffer()).toString('utf8')
      const body = NewDocument.safeParse({
        title: file.filename.replace(/\.[^.]+$/, '').slice(0, 300) || 'Untitled',
        text,
      })
      if (!body.success) {
        throw new AppError(
          'validation_failed',
          undefined,
          body.error.issues.map((i) => ({ path: `body.${i.path.join('.')}`, message: i.message })),
        )
      }
      return reply
        .code(201)
        .send(await kb.addDocument(deps, callerOf(req), req.params.id, body.data, 'upload'))
    },
  )
}

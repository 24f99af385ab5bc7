import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import {
  deleteDocument,
  deleteKnowledgeBase,
  getDocument,
  getKnowledgeBase,
  insertDocument,
  insertKnowledgeBase,
  listDocuments,
  listKnowledgeBases,
  newId,
  type KnowledgeBase,
  type KnowledgeDocument,
  type PageRequest,
} from '@luneo/warehouse'
import type { z } from 'zod'
import type { AppDeps, Auth } from '../context.js'
import { notFound } from '../errors.js'
import { iso } from '../schemas/common.js'
import type { NewDocument, NewKnowledgeBase } from '../schemas/resources.js'
import { audit } from './audit.js'

const toKbDto = (kb: KnowledgeBase) => ({
  id: kb.id,
  name: kb.name,
  description: kb.description,
  createdAt: iso(kb.created_at),
  updatedAt: iso(kb.updated_at),
})

const toDocDto = (d: KnowledgeDocument) => ({
  id: d.id,
  knowledgeBaseId: d.knowledge_base_id,
  title: d.title,
  text: d.text,
  source: d.source,
  createdAt: iso(d.created_at),
  updatedAt: iso(d.updated_at),
})

export async function createKnowledgeBase(
  deps: AppDeps,
  req: FastifyRequest,
  auth: Auth,
  body: z.infer<typeof NewKnowledgeBase>,
) {
  return deps.db.transaction().execute(async (trx) => {
    const kb = await insertKnowledgeBase(trx, {
      id: newId(),
      organization_id: auth.organizationId,
      name: body.name,
      description: body.description ?? null,
    })
    await audit(trx, req, auth, 'knowledge_base.created', { type: 'knowledge_base', id: kb.id })
    return toKbDto(kb)
  })
}

async function requireKb(deps: AppDeps, auth: Auth, id: string): Promise<KnowledgeBase> {
  const kb = await getKnowledgeBase(deps.db, auth.organizationId, id)
  if (!kb) throw notFound('Knowledge base')
  return kb
}

export async function readKnowledgeBase(deps: AppDeps, auth: Auth, id: string) {
  return toKbDto(await requireKb(deps, auth, id))
}

export async function listOrgKnowledgeBases(deps: AppDeps, auth: Auth, page: PageRequest) {
  const p = await listKnowledgeBases(deps.db, auth.organizationId, page)
  return { nextCursor: p.nextCursor, items: p.items.map(toKbDto) }
}

export async function removeKnowledgeBase(
  deps: AppDeps,
  req: FastifyRequest,
  auth: Auth,
  id: string,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await deleteKnowledgeBase(trx, auth.organizationId, id))) throw notFound('Knowledge base')
    await audit(trx, req, auth, 'knowledge_base.deleted', { type: 'knowledge_base', id })
  })
}

export async function addDocument(
  deps: AppDeps,
  req: FastifyRequest,
  auth: Auth,
  kbId: string,
  body: z.infer<typeof NewDocument>,
) {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await getKnowledgeBase(trx, auth.organizationId, kbId))) throw notFound('Knowledge base')
    const doc = await insertDocument(trx, {
      id: newId(),
      organization_id: auth.organizationId,
      knowledge_base_id: kbId,
      title: body.title,
      text: body.text,
      content_hash: createHash('sha256').update(body.text).digest('hex'),
    })
    await audit(
      trx,
      req,
      auth,
      'document.created',
      { type: 'knowledge_document', id: doc.id },
      { knowledgeBaseId: kbId },
    )
    return toDocDto(doc)
  })
}

export async function listKbDocuments(deps: AppDeps, auth: Auth, kbId: string, page: PageRequest) {
  await requireKb(deps, auth, kbId)
  const p = await listDocuments(deps.db, auth.organizationId, kbId, page)
  return { nextCursor: p.nextCursor, items: p.items.map(toDocDto) }
}

export async function readDocument(deps: AppDeps, auth: Auth, kbId: string, docId: string) {
  const doc = await getDocument(deps.db, auth.organizationId, kbId, docId)
  if (!doc) throw notFound('Document')
  return toDocDto(doc)
}

export async function removeDocument(
  deps: AppDeps,
  req: FastifyRequest,
  auth: Auth,
  kbId: string,
  docId: string,
) {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await deleteDocument(trx, auth.organizationId, kbId, docId))) throw notFound('Document')
    await audit(
      trx,
      req,
      auth,
      'document.deleted',
      { type: 'knowledge_document', id: docId },
      { knowledgeBaseId: kbId },
    )
  })
}

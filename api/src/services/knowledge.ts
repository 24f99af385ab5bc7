import { createHash } from 'node:crypto'
import { chunkText } from '@luneo/models'
import {
  indexedKnowledgeBaseIds,
  indexedUnconfirmedDocuments,
  confirmDocument,
  markKnowledgeBaseUnindexed,
  markDocumentUnindexed,
  deleteDocument,
  listChunks,
  markDocumentIndexed,
  replaceChunks,
  unindexedDocuments,
  updateDocument,
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
  type Db,
} from '@luneo/warehouse'
import type { z } from 'zod'
import type { Auth, Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { notFound } from '../errors.js'
import { iso } from '../schemas/common.js'
import type { NewDocument, NewKnowledgeBase } from '../schemas/resources.js'
import {
  deleteVectorsNow,
  recordVectorDeletion,
  retryVectorDeletions,
} from '../knowledge/vector-deletions.js'
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
  questions: d.questions,
  indexedAt: d.indexed_at ? iso(d.indexed_at) : null,
  confirmedAt: d.confirmed_at ? iso(d.confirmed_at) : null,
  createdAt: iso(d.created_at),
  updatedAt: iso(d.updated_at),
})

/**
 * Chunks a document into Postgres (inside the caller's transaction): the chunks are the source
 * of truth, Chroma holds their vectors and can be rebuilt from them.
 */
async function writeChunks(trx: Db, doc: KnowledgeDocument): Promise<{ id: string; text: string }[]> {
  const chunks = chunkText(doc.text).map((text) => ({ id: newId(), text }))
  await replaceChunks(
    trx,
    { organization_id: doc.organization_id, knowledge_base_id: doc.knowledge_base_id, document_id: doc.id },
    chunks,
  )
  return chunks
}

/**
 * Rewrites a document's text in the caller's transaction (erasure scrubs quotes out of it): new
 * chunks, pending for the index until `indexDocument` runs after the commit.
 */
export async function rewriteDocumentTx(
  trx: Db,
  doc: KnowledgeDocument,
  patch: { title: string; text: string; questions: string[] },
): Promise<KnowledgeDocument> {
  const hash = createHash('sha256').update(patch.text).digest('hex')
  const updated = await updateDocument(trx, doc.organization_id, doc.id, { ...patch, content_hash: hash })
  if (!updated) throw notFound('Document')
  await markDocumentUnindexed(trx, doc.organization_id, doc.id)
  await writeChunks(trx, updated)
  return { ...updated, indexed_at: null }
}

/**
 * After commit: vectors into Chroma, then mark the document indexed. A failure leaves it pending
 * for the next start. An unconfirmed document is not indexed (false).
 */
export async function indexDocument(
  deps: AppDeps,
  doc: Pick<
    KnowledgeDocument,
    'id' | 'organization_id' | 'knowledge_base_id' | 'title' | 'questions' | 'confirmed_at'
  >,
): Promise<boolean> {
  if (!doc.confirmed_at) return false
  try {
    const chunks = await listChunks(deps.db, doc.organization_id, doc.id)
    await deps.ai.index.replaceDocument(
      doc.organization_id,
      doc.knowledge_base_id,
      doc.id,
      chunks.map((c) => ({ id: c.id, documentId: doc.id, title: doc.title, text: c.text })),
      doc.questions,
    )
    await markDocumentIndexed(deps.db, doc.organization_id, doc.id)
    return true
  } catch (err) {
    console.error(`indexing document ${doc.id} failed; it stays pending`, err)
    return false
  }
}

const PENDING_BATCH = 500

/**
 * Starter documents indexed before confirmation existed (migration 0008) leave the vector store:
 * until their owner confirms them no customer may hear them.
 */
async function withdrawUnconfirmed(deps: AppDeps, log: (line: string) => void): Promise<void> {
  let n = 0
  for (;;) {
    const batch = await indexedUnconfirmedDocuments(deps.db, PENDING_BATCH)
    for (const doc of batch) {
      await deps.ai.index.deleteDocument(doc.organization_id, doc.knowledge_base_id, doc.id)
      await markDocumentUnindexed(deps.db, doc.organization_id, doc.id)
    }
    n += batch.length
    if (batch.length < PENDING_BATCH) break
  }
  if (n > 0) log(`knowledge: ${n} unconfirmed starter document(s) withdrawn from the vector store`)
}

/**
 * At start: knowledge bases whose vectors came from another embedder (a change of
 * LUNEO_EMBEDDINGS, of model file, or a vector store that lost them) go back to pending and their
 * collections are dropped; then every pending document is indexed from its chunks in Postgres.
 * Pending is marked before the drop, so a crash in between re-does the drop at the next start.
 */
export async function reindexPending(
  deps: AppDeps,
  log: (line: string) => void = console.error,
): Promise<number> {
  const deletions = await retryVectorDeletions(deps)
  if (deletions.done > 0)
    log(`knowledge: ${deletions.done} deleted document(s) removed from the vector store`)
  await withdrawUnconfirmed(deps, log)
  const stale = await deps.ai.index.staleKnowledgeBases(await indexedKnowledgeBaseIds(deps.db))
  if (stale.length > 0) {
    let docs = 0
    for (const kb of stale) {
      docs += await markKnowledgeBaseUnindexed(deps.db, kb)
      await deps.ai.index.resetKnowledgeBase(kb)
    }
    log(
      `knowledge: ${stale.length} knowledge base(s), ${docs} document(s) indexed by another embedder or missing from the vector store: re-indexing with ${deps.ai.embedder.id}`,
    )
  }
  let n = 0
  // Batches until none is left; a batch where nothing indexes (vector store down) ends the pass.
  for (;;) {
    const batch = await unindexedDocuments(deps.db, PENDING_BATCH)
    let indexed = 0
    for (const doc of batch) if (await indexDocument(deps, doc)) indexed += 1
    n += indexed
    if (indexed === 0 || batch.length < PENDING_BATCH) return n
  }
}

export async function createKnowledgeBase(
  deps: AppDeps,
  caller: Caller,
  body: z.infer<typeof NewKnowledgeBase>,
) {
  return deps.db.transaction().execute(async (trx) => toKbDto(await insertKnowledgeBaseTx(trx, caller, body)))
}

export async function insertKnowledgeBaseTx(trx: Db, caller: Caller, body: z.infer<typeof NewKnowledgeBase>) {
  const { auth } = caller
  const kb = await insertKnowledgeBase(trx, {
    id: newId(),
    organization_id: auth.organizationId,
    name: body.name,
    description: body.description ?? null,
  })
  await audit(trx, caller, 'knowledge_base.created', { type: 'knowledge_base', id: kb.id })
  return kb
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

export async function removeKnowledgeBase(deps: AppDeps, caller: Caller, id: string): Promise<void> {
  const { auth } = caller
  const target = { organizationId: auth.organizationId, knowledgeBaseId: id, documentId: null }
  const record = await deps.db.transaction().execute(async (trx) => {
    if (!(await deleteKnowledgeBase(trx, auth.organizationId, id))) throw notFound('Knowledge base')
    await audit(trx, caller, 'knowledge_base.deleted', { type: 'knowledge_base', id })
    return recordVectorDeletion(trx, target)
  })
  // The vector store may be down: the recorded deletion is retried until it is done.
  if (!(await deleteVectorsNow(deps, record, target)))
    caller.log.warn({ knowledgeBaseId: id }, 'vector cleanup failed; retried later')
}

export async function addDocument(
  deps: AppDeps,
  caller: Caller,
  kbId: string,
  body: z.infer<typeof NewDocument>,
  source = 'manual',
) {
  const { auth } = caller
  const doc = await deps.db.transaction().execute(async (trx) => {
    if (!(await getKnowledgeBase(trx, auth.organizationId, kbId))) throw notFound('Knowledge base')
    const inserted = await insertDocumentTx(trx, caller, kbId, body, source)
    deps.faultPoint?.('document.before_commit')
    return inserted
  })
  const indexed = await indexDocument(deps, doc)
  return toDocDto(indexed ? { ...doc, indexed_at: new Date() } : doc)
}

/**
 * A document and its chunks, in the caller's transaction; index it after the commit. A template's
 * starter document is written unconfirmed (ADR 0019): stored, shown to the owner, never retrieved.
 */
export async function insertDocumentTx(
  trx: Db,
  caller: Caller,
  kbId: string,
  body: z.infer<typeof NewDocument>,
  source: string,
) {
  const { auth } = caller
  const doc = await insertDocument(trx, {
    id: newId(),
    organization_id: auth.organizationId,
    knowledge_base_id: kbId,
    title: body.title,
    text: body.text,
    content_hash: createHash('sha256').update(body.text).digest('hex'),
    source,
    questions: body.questions ?? [],
    confirmed_at: source === 'template' ? null : new Date(),
  })
  await writeChunks(trx, doc)
  await audit(
    trx,
    caller,
    'document.created',
    { type: 'knowledge_document', id: doc.id },
    { knowledgeBaseId: kbId },
  )
  return doc
}

/** Replaces a document's text: its chunks are rewritten and re-indexed (old vectors removed). */
export async function replaceDocument(
  deps: AppDeps,
  caller: Caller,
  kbId: string,
  docId: string,
  body: z.infer<typeof NewDocument>,
) {
  const { auth } = caller
  const doc = await deps.db.transaction().execute(async (trx) => {
    if (!(await getDocument(trx, auth.organizationId, kbId, docId))) throw notFound('Document')
    const hash = createHash('sha256').update(body.text).digest('hex')
    const updated = await updateDocument(trx, auth.organizationId, docId, {
      ...body,
      questions: body.questions ?? [],
      content_hash: hash,
      // The owner wrote this text: an edited starter document is their word now.
      confirmed_at: new Date(),
    })
    if (!updated) throw notFound('Document')
    await markDocumentUnindexed(trx, auth.organizationId, docId)
    await writeChunks(trx, updated)
    const details = { knowledgeBaseId: kbId }
    await audit(trx, caller, 'document.updated', { type: 'knowledge_document', id: docId }, details)
    return { ...updated, indexed_at: null }
  })
  const indexed = await indexDocument(deps, doc)
  return toDocDto(indexed ? { ...doc, indexed_at: new Date() } : doc)
}

/** The owner vouches for a (starter) document: from now on retrieval may answer from it. */
export async function confirmKnowledgeDocument(deps: AppDeps, caller: Caller, kbId: string, docId: string) {
  const { auth } = caller
  const doc = await deps.db.transaction().execute(async (trx) => {
    const confirmed = await confirmDocument(trx, auth.organizationId, kbId, docId)
    if (!confirmed) throw notFound('Document')
    const details = { knowledgeBaseId: kbId }
    await audit(trx, caller, 'document.confirmed', { type: 'knowledge_document', id: docId }, details)
    return confirmed
  })
  const indexed = await indexDocument(deps, doc)
  return toDocDto(indexed ? { ...doc, indexed_at: new Date() } : doc)
}

/** Confirms every unconfirmed document of a knowledge base (the demo's owner vouching for its starter facts). */
export async function confirmAllDocuments(deps: AppDeps, caller: Caller, kbId: string): Promise<number> {
  let n = 0
  let cursor: string | undefined
  do {
    const page = await listKbDocuments(deps, caller.auth, kbId, { limit: 200, cursor })
    for (const d of page.items.filter((d) => !d.confirmedAt)) {
      await confirmKnowledgeDocument(deps, caller, kbId, d.id)
      n += 1
    }
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return n
}

export async function documentChunks(deps: AppDeps, auth: Auth, kbId: string, docId: string) {
  const doc = await getDocument(deps.db, auth.organizationId, kbId, docId)
  if (!doc) throw notFound('Document')
  const chunks = await listChunks(deps.db, auth.organizationId, docId)
  return {
    items: chunks.map((c) => ({ id: c.id, ordinal: c.ordinal, text: c.text })),
    indexedAt: doc.indexed_at ? iso(doc.indexed_at) : null,
  }
}

/**
 * Writes a knowledge base seeded with a vertical template's default knowledge in the caller's
 * transaction (agents created without knowledge). Returns a function that indexes the documents;
 * call it after the commit, so a failed request leaves neither rows nor vectors.
 */
export async function seedTemplateKnowledgeTx(
  deps: AppDeps,
  trx: Db,
  caller: Caller,
  name: string,
  docs: { title: string; text: string; questions?: string[] }[],
) {
  const description =
    'Starter knowledge from the vertical template: examples, not your policies. The agent uses a document only once you confirm or edit it.'
  const kb = await insertKnowledgeBaseTx(trx, caller, { name, description })
  const written: KnowledgeDocument[] = []
  for (const d of docs) written.push(await insertDocumentTx(trx, caller, kb.id, d, 'template'))
  return {
    kb,
    indexAfterCommit: async () => void (await Promise.all(written.map((d) => indexDocument(deps, d)))),
  }
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

export async function removeDocument(deps: AppDeps, caller: Caller, kbId: string, docId: string) {
  const { auth } = caller
  const target = { organizationId: auth.organizationId, knowledgeBaseId: kbId, documentId: docId }
  const record = await deps.db.transaction().execute(async (trx) => {
    if (!(await deleteDocument(trx, auth.organizationId, kbId, docId))) throw notFound('Document')
    const details = { knowledgeBaseId: kbId }
    await audit(trx, caller, 'document.deleted', { type: 'knowledge_document', id: docId }, details)
    return recordVectorDeletion(trx, target)
  })
  // The vector store may be down: the recorded deletion is retried until it is done.
  if (!(await deleteVectorsNow(deps, record, target)))
    caller.log.warn({ documentId: docId }, 'vector cleanup failed; retried later')
}

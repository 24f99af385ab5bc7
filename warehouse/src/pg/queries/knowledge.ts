import { bumpKnowledgeVersion } from './knowledge-chunks.js'
import type { Kysely } from 'kysely'
import type { Database, KnowledgeBase, KnowledgeDocument } from '../schema.js'
import { paginate, type Page, type PageRequest } from './page.js'

export async function insertKnowledgeBase(
  db: Kysely<Database>,
  kb: { id: string; organization_id: string; name: string; description: string | null },
): Promise<KnowledgeBase> {
  return db.insertInto('knowledge_bases').values(kb).returningAll().executeTakeFirstOrThrow()
}

export async function getKnowledgeBase(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
): Promise<KnowledgeBase | undefined> {
  return db
    .selectFrom('knowledge_bases')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function listKnowledgeBases(
  db: Kysely<Database>,
  organizationId: string,
  page: PageRequest,
): Promise<Page<KnowledgeBase>> {
  return paginate(
    db.selectFrom('knowledge_bases').selectAll().where('organization_id', '=', organizationId),
    'id',
    page,
  )
}

/** Every knowledge base id of the organization (searching all of its knowledge). */
export async function listKnowledgeBaseIds(db: Kysely<Database>, organizationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('knowledge_bases')
    .select('id')
    .where('organization_id', '=', organizationId)
    .execute()
  return rows.map((r) => r.id)
}

export async function deleteKnowledgeBase(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom('knowledge_bases')
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export interface NewDocumentRow {
  id: string
  organization_id: string
  knowledge_base_id: string
  title: string
  text: string
  content_hash: string
  source?: string
  questions?: string[]
  /** Null for a template's starter document: stored, kept out of retrieval until confirmed. */
  confirmed_at?: Date | null
}

export async function insertDocument(db: Kysely<Database>, doc: NewDocumentRow): Promise<KnowledgeDocument> {
  const { questions, ...rest } = doc
  return db
    .insertInto('knowledge_documents')
    .values({ ...rest, questions: JSON.stringify(questions ?? []) })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * One document of the organization, in that knowledge base; with null, in any (the erasure
 * re-indexes the documents it rewrote, whatever their knowledge base).
 */
export async function getDocument(
  db: Kysely<Database>,
  organizationId: string,
  knowledgeBaseId: string | null,
  documentId: string,
): Promise<KnowledgeDocument | undefined> {
  return db
    .selectFrom('knowledge_documents')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .$if(knowledgeBaseId !== null, (q) => q.where('knowledge_base_id', '=', knowledgeBaseId!))
    .where('id', '=', documentId)
    .executeTakeFirst()
}

export async function listDocuments(
  db: Kysely<Database>,
  organizationId: string,
  knowledgeBaseId: string,
  page: PageRequest,
): Promise<Page<KnowledgeDocument>> {
  const q = db
    .selectFrom('knowledge_documents')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('knowledge_base_id', '=', knowledgeBaseId)
  return paginate(q, 'id', page)
}

export async function updateDocument(
  db: Kysely<Database>,
  organizationId: string,
  documentId: string,
  patch: {
    title?: string | undefined
    text?: string | undefined
    content_hash?: string | undefined
    questions?: string[] | undefined
    confirmed_at?: Date | undefined
  },
): Promise<KnowledgeDocument | undefined> {
  const { questions, ...rest } = patch
  return db
    .updateTable('knowledge_documents')
    .set({ ...rest, ...(questions ? { questions: JSON.stringify(questions) } : {}), updated_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('id', '=', documentId)
    .returningAll()
    .executeTakeFirst()
}

export async function deleteDocument(
  db: Kysely<Database>,
  organizationId: string,
  knowledgeBaseId: string,
  documentId: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom('knowledge_documents')
    .where('organization_id', '=', organizationId)
    .where('knowledge_base_id', '=', knowledgeBaseId)
    .where('id', '=', documentId)
    .executeTakeFirst()
  const deleted = Number(r.numDeletedRows) > 0
  // Its chunks went with it (cascade): the lexical index of the knowledge base is stale.
  if (deleted) await bumpKnowledgeVersion(db, organizationId, knowledgeBaseId)
  return deleted
}

/** How many of these ids are knowledge bases of the organization (to refuse foreign ids). */
export async function countOwnKnowledgeBases(
  db: Kysely<Database>,
  organizationId: string,
  ids: string[],
): Promise<number> {
  if (ids.length === 0) return 0
  const row = await db
    .selectFrom('knowledge_bases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', organizationId)
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function findKnowledgeBaseByName(
  db: Kysely<Database>,
  organizationId: string,
  name: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('knowledge_bases')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('name', '=', name)
    .orderBy('id')
    .executeTakeFirst()
  return row?.id ?? null
}

export async function markDocumentIndexed(
  db: Kysely<Database>,
  organizationId: string,
  documentId: string,
): Promise<void> {
  await db
    .updateTable('knowledge_documents')
    .set({ indexed_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('id', '=', documentId)
    .execute()
}

/**
 * Confirmed documents whose chunks are not in the vector store yet (crash or store outage):
 * re-indexed at start. Unconfirmed starter documents are never indexed.
 */
export async function unindexedDocuments(db: Kysely<Database>, limit = 500) {
  return db
    .selectFrom('knowledge_documents')
    .select(['id', 'organization_id', 'knowledge_base_id', 'title', 'questions', 'confirmed_at'])
    .where('indexed_at', 'is', null)
    .where('confirmed_at', 'is not', null)
    .limit(limit)
    .execute()
}

/** Unconfirmed documents the vector store still holds (indexed before confirmation existed): to withdraw. */
export async function indexedUnconfirmedDocuments(db: Kysely<Database>, limit = 500) {
  return db
    .selectFrom('knowledge_documents')
    .select(['id', 'organization_id', 'knowledge_base_id'])
    .where('indexed_at', 'is not', null)
    .where('confirmed_at', 'is', null)
    .limit(limit)
    .execute()
}

/**
 * Confirms a document: its owner vouches for it, so retrieval may use it. Bumps its knowledge
 * base's content version (its chunks become searchable); the caller indexes it after commit.
 */
export async function confirmDocument(
  db: Kysely<Database>,
  organizationId: string,
  knowledgeBaseId: string,
  documentId: string,
): Promise<KnowledgeDocument | undefined> {
  const doc = await db
    .updateTable('knowledge_documents')
    .set({ confirmed_at: new Date(), indexed_at: null, updated_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('knowledge_base_id', '=', knowledgeBaseId)
    .where('id', '=', documentId)
    .returningAll()
    .executeTakeFirst()
  if (doc) await bumpKnowledgeVersion(db, organizationId, knowledgeBaseId)
  return doc
}

/** Title and knowledge base of the organization's documents among `ids` (a transcript's sources); deleted ones are absent. */
export async function documentTitles(
  db: Kysely<Database>,
  organizationId: string,
  ids: string[],
): Promise<Map<string, { title: string; knowledgeBaseId: string }>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('knowledge_documents')
    .select(['id', 'title', 'knowledge_base_id'])
    .where('organization_id', '=', organizationId)
    .where('id', 'in', ids)
    .execute()
  return new Map(rows.map((r) => [r.id, { title: r.title, knowledgeBaseId: r.knowledge_base_id }]))
}

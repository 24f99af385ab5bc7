import { sql } from 'kysely'
import type { KnowledgeChunk } from '../schema.js'
import type { Db } from '../db.js'

/** Bumps a knowledge base's content version (in the transaction that changes its chunks). */
export async function bumpKnowledgeVersion(
  db: Db,
  organizationId: string,
  knowledgeBaseId: string,
): Promise<void> {
  await db
    .updateTable('knowledge_bases')
    .set({ content_version: sql<string>`content_version + 1` })
    .where('organization_id', '=', organizationId)
    .where('id', '=', knowledgeBaseId)
    .execute()
}

/** Replaces a document's chunks and bumps its knowledge base's content version. */
export async function replaceChunks(
  db: Db,
  doc: { organization_id: string; knowledge_base_id: string; document_id: string },
  chunks: { id: string; text: string }[],
): Promise<void> {
  await db
    .deleteFrom('knowledge_chunks')
    .where('organization_id', '=', doc.organization_id)
    .where('document_id', '=', doc.document_id)
    .execute()
  await bumpKnowledgeVersion(db, doc.organization_id, doc.knowledge_base_id)
  if (chunks.length === 0) return
  await db
    .insertInto('knowledge_chunks')
    .values(chunks.map((c, ordinal) => ({ ...doc, id: c.id, ordinal, text: c.text })))
    .execute()
}

export async function listChunks(
  db: Db,
  organizationId: string,
  documentId: string,
): Promise<KnowledgeChunk[]> {
  return db
    .selectFrom('knowledge_chunks')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('document_id', '=', documentId)
    .orderBy('ordinal')
    .execute()
}

/** The content version of each of these knowledge bases of the organization (absent: no such base). */
export async function knowledgeVersions(
  db: Db,
  organizationId: string,
  knowledgeBaseIds: readonly string[],
): Promise<Map<string, string>> {
  if (knowledgeBaseIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('knowledge_bases')
    .select(['id', sql<string>`content_version::text`.as('version')])
    .where('organization_id', '=', organizationId)
    .where('id', 'in', [...knowledgeBaseIds])
    .execute()
  return new Map(rows.map((r) => [r.id, r.version]))
}

export interface SearchableChunk {
  chunkId: string
  documentId: string
  title: string
  text: string
  /** The document's FAQ phrasings (every chunk of the document carries them). */
  questions: string[]
}

/** Every chunk of a knowledge base with its document's title and phrasings: what lexical search indexes. */
export async function searchableChunks(
  db: Db,
  organizationId: string,
  knowledgeBaseId: string,
): Promise<SearchableChunk[]> {
  return (
    db
      .selectFrom('knowledge_chunks as c')
      .innerJoin('knowledge_documents as d', 'd.id', 'c.document_id')
      .select(['c.id as chunkId', 'c.document_id as documentId', 'd.title', 'c.text', 'd.questions'])
      .where('c.organization_id', '=', organizationId)
      .where('c.knowledge_base_id', '=', knowledgeBaseId)
      // An unconfirmed starter document is the template's guess, not the organization's word.
      .where('d.confirmed_at', 'is not', null)
      .orderBy('c.document_id')
      .orderBy('c.ordinal')
      .execute()
  )
}

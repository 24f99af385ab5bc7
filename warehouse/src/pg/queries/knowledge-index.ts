// The vector index's bookkeeping in Postgres: which knowledge bases have vectors, and sending a
// knowledge base back to "pending" so the next re-index pass rebuilds its vectors from its chunks.
import type { Db } from '../db.js'

/** Knowledge bases (of every organization) with at least one indexed document: a start-up check's input. */
export async function indexedKnowledgeBaseIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('knowledge_documents')
    .select('knowledge_base_id')
    .distinct()
    .where('indexed_at', 'is not', null)
    .execute()
  return rows.map((r) => r.knowledge_base_id)
}

/** Marks every document of a knowledge base unindexed (its vectors are about to be rebuilt). */
export async function markKnowledgeBaseUnindexed(db: Db, knowledgeBaseId: string): Promise<number> {
  const res = await db
    .updateTable('knowledge_documents')
    .set({ indexed_at: null })
    .where('knowledge_base_id', '=', knowledgeBaseId)
    .executeTakeFirst()
  return Number(res.numUpdatedRows)
}

/** Marks one document unindexed (its text changed: its vectors are rebuilt after the commit). */
export async function markDocumentUnindexed(
  db: Db,
  organizationId: string,
  documentId: string,
): Promise<void> {
  await db
    .updateTable('knowledge_documents')
    .set({ indexed_at: null })
    .where('organization_id', '=', organizationId)
    .where('id', '=', documentId)
    .execute()
}

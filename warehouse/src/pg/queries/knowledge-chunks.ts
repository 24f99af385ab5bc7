import type { KnowledgeChunk } from '../schema.js'
import type { Db } from '../db.js'

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

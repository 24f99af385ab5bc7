import {
  clearVectorDeletion,
  failVectorDeletion,
  insertVectorDeletion,
  newId,
  pendingVectorDeletions,
  type Db,
} from '@luneo/warehouse'
import type { AppDeps } from '../context.js'

// A document (or knowledge base) deleted from Postgres must leave the vector store too, or
// retrieval keeps answering from it. The store may be unreachable at that moment, so the deletion
// is recorded in the same transaction as the delete (vector_deletions) and cleared only once
// Chroma has done it; `retryVectorDeletions` goes through what is left (at start and every tick
// of the privacy worker), so a document deleted while Chroma is down leaves it when it is back.

export interface VectorTarget {
  organizationId: string
  knowledgeBaseId: string
  /** null: the whole knowledge base. */
  documentId: string | null
}

/** Records the deletion inside the caller's transaction; returns its id for `deleteVectorsNow`. */
export async function recordVectorDeletion(trx: Db, target: VectorTarget): Promise<string> {
  const id = newId()
  await insertVectorDeletion(trx, {
    id,
    organization_id: target.organizationId,
    knowledge_base_id: target.knowledgeBaseId,
    document_id: target.documentId,
  })
  return id
}

async function deleteVectors(deps: AppDeps, t: VectorTarget): Promise<void> {
  if (t.documentId) await deps.ai.index.deleteDocument(t.organizationId, t.knowledgeBaseId, t.documentId)
  else await deps.ai.index.deleteKnowledgeBase(t.organizationId, t.knowledgeBaseId)
}

/** After commit: deletes the vectors and clears the record; on failure the record stays for a retry. */
export async function deleteVectorsNow(
  deps: AppDeps,
  recordId: string,
  target: VectorTarget,
): Promise<boolean> {
  try {
    await deleteVectors(deps, target)
    await clearVectorDeletion(deps.db, recordId)
    return true
  } catch (err) {
    await failVectorDeletion(deps.db, recordId, String(err)).catch(() => undefined)
    return false
  }
}

const BATCH = 200

/**
 * Retries every recorded deletion, oldest first. Stops at the first failure (the store is still
 * down: the rest would fail the same way). Returns how many were done and how many are left.
 */
export async function retryVectorDeletions(deps: AppDeps): Promise<{ done: number; left: number }> {
  let done = 0
  for (;;) {
    const batch = await pendingVectorDeletions(deps.db, BATCH)
    for (const [i, row] of batch.entries()) {
      const target = {
        organizationId: row.organization_id,
        knowledgeBaseId: row.knowledge_base_id,
        documentId: row.document_id,
      }
      if (!(await deleteVectorsNow(deps, row.id, target))) return { done, left: batch.length - i }
      done += 1
    }
    if (batch.length < BATCH) return { done, left: 0 }
  }
}

import { sql, type Kysely } from 'kysely'
import type {
  Database,
  ErasureRequest,
  ErasureStep,
  KnowledgeDocument,
  KnowledgeGap,
  VectorDeletion,
} from '../schema.js'

export async function insertErasureRequest(
  db: Kysely<Database>,
  row: { id: string; organization_id: string; contact_id: string; requested_by: string | null },
): Promise<ErasureRequest> {
  return db.insertInto('erasure_requests').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function getErasureRequest(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
): Promise<ErasureRequest | undefined> {
  return db
    .selectFrom('erasure_requests')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** A request by id alone: the worker serves every organization. */
export async function loadErasureRequest(db: Kysely<Database>, id: string): Promise<ErasureRequest> {
  return db.selectFrom('erasure_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/**
 * The request's steps done, its row locked until the transaction ends: another replica's worker
 * running the same request waits, then sees the step done.
 */
export async function lockErasureSteps(trx: Kysely<Database>, id: string): Promise<ErasureStep[]> {
  const r = await trx
    .selectFrom('erasure_requests')
    .select('steps_done')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow()
  return r.steps_done
}

/** The contact's request still under way, if any (a second request joins it). */
export async function openErasureOfContact(
  db: Kysely<Database>,
  organizationId: string,
  contactId: string,
): Promise<ErasureRequest | undefined> {
  return db
    .selectFrom('erasure_requests')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('contact_id', '=', contactId)
    .where('status', '<>', 'done')
    .executeTakeFirst()
}

/** Requests not done yet, oldest first (every organization: the worker serves them all). */
export async function openErasureRequests(db: Kysely<Database>, limit: number): Promise<ErasureRequest[]> {
  return db
    .selectFrom('erasure_requests')
    .selectAll()
    .where('status', '<>', 'done')
    .orderBy('created_at')
    .limit(limit)
    .execute()
}

/** Records a finished step (and what it learned for the next ones). */
export async function markErasureStep(
  db: Kysely<Database>,
  id: string,
  step: ErasureStep,
  patch: {
    conversation_ids?: string[]
    document_ids?: string[]
    counts?: Record<string, number>
    outbox_seq?: number | string | null
    done?: boolean
  } = {},
): Promise<void> {
  const { done, conversation_ids, document_ids, counts, outbox_seq } = patch
  await db
    .updateTable('erasure_requests')
    .set({
      steps_done: sql`array_append(steps_done, ${step})`,
      status: done ? 'done' : 'running',
      last_error: null,
      updated_at: new Date(),
      ...(done ? { completed_at: new Date() } : {}),
      ...(conversation_ids ? { conversation_ids: JSON.stringify(conversation_ids) } : {}),
      ...(document_ids ? { document_ids: JSON.stringify(document_ids) } : {}),
      ...(counts ? { counts: JSON.stringify(counts) } : {}),
      ...(outbox_seq !== undefined ? { outbox_seq } : {}),
    })
    .where('id', '=', id)
    .where(sql<boolean>`NOT (${step} = ANY(steps_done))`)
    .execute()
}

export async function markErasureFailedAttempt(
  db: Kysely<Database>,
  id: string,
  error: string,
): Promise<void> {
  await db
    .updateTable('erasure_requests')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      last_error: error.slice(0, 500),
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .execute()
}

/** The contact's conversations (erasure: every one goes). */
export async function conversationIdsOfContact(
  db: Kysely<Database>,
  organizationId: string,
  contactId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('conversations')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('contact_id', '=', contactId)
    .execute()
  return rows.map((r) => r.id)
}

/** What the customer wrote in these conversations (the words to look for in derived text). */
export async function customerTextsOf(
  db: Kysely<Database>,
  organizationId: string,
  conversationIds: string[],
): Promise<string[]> {
  if (conversationIds.length === 0) return []
  const rows = await db
    .selectFrom('messages')
    .select('text')
    .where('organization_id', '=', organizationId)
    .where('conversation_id', 'in', conversationIds)
    .where('role', '=', 'customer')
    .execute()
  return rows.map((r) => r.text)
}

export async function deleteContact(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
): Promise<number> {
  const r = await db
    .deleteFrom('contacts')
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** Intent corrections whose text is one of these (a person taught the classifier with it). */
export async function deleteIntentCorrectionsWithText(
  db: Kysely<Database>,
  organizationId: string,
  texts: string[],
): Promise<number> {
  if (texts.length === 0) return 0
  const r = await db
    .deleteFrom('intent_corrections')
    .where('organization_id', '=', organizationId)
    .where('text', 'in', texts)
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** Every gap of the organization, for the text scrub (a few hundred at most per organization). */
export async function gapsForScrub(
  db: Kysely<Database>,
  organizationId: string,
): Promise<Pick<KnowledgeGap, 'id' | 'label' | 'examples' | 'drafted_answer' | 'accepted_answer'>[]> {
  return db
    .selectFrom('knowledge_gaps')
    .select(['id', 'label', 'examples', 'drafted_answer', 'accepted_answer'])
    .where('organization_id', '=', organizationId)
    .execute()
}

export async function setGapTexts(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
  texts: { label: string; examples: string[]; drafted_answer: string | null; accepted_answer: string | null },
): Promise<void> {
  await db
    .updateTable('knowledge_gaps')
    .set({ ...texts, examples: JSON.stringify(texts.examples), updated_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .execute()
}

/** Records that a document's (or a knowledge base's) vectors must leave the vector store. */
export async function insertVectorDeletion(
  db: Kysely<Database>,
  row: { id: string; organization_id: string; knowledge_base_id: string; document_id: string | null },
): Promise<void> {
  await db.insertInto('vector_deletions').values(row).execute()
}

export async function pendingVectorDeletions(db: Kysely<Database>, limit: number): Promise<VectorDeletion[]> {
  return db.selectFrom('vector_deletions').selectAll().orderBy('created_at').limit(limit).execute()
}

export async function clearVectorDeletion(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('vector_deletions').where('id', '=', id).execute()
}

export async function failVectorDeletion(db: Kysely<Database>, id: string, error: string): Promise<void> {
  await db
    .updateTable('vector_deletions')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 500) }))
    .where('id', '=', id)
    .execute()
}

/** Documents written from accepted knowledge gaps: they quote customers' questions. */
export async function gapDocuments(
  db: Kysely<Database>,
  organizationId: string,
): Promise<KnowledgeDocument[]> {
  return db
    .selectFrom('knowledge_documents')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('source', '=', 'knowledge_gap')
    .execute()
}

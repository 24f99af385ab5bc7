import {
  conversationIdsOfContact,
  customerTextsInClickHouse,
  customerTextsOf,
  deleteContact,
  deleteConversations,
  deleteIntentCorrectionsWithText,
  eraseFromClickHouse,
  gapDocuments,
  gapsForScrub,
  getContact,
  getDocument,
  getOrganization,
  insertAudit,
  loadErasureRequest,
  lockErasureSteps,
  markErasureFailedAttempt,
  markErasureStep,
  newId,
  openErasureRequests,
  outboxHighSeq,
  setGapTexts,
  type Db,
  type ErasureRequest,
  type ErasureStep,
} from '@luneo/warehouse'
import { appendToOutbox, buildEvent, waitForCoverage } from '@luneo/ingest'
import type { AppDeps } from '../context.js'
import { indexDocument, rewriteDocumentTx } from '../services/knowledge.js'
import { needlesOf, scrubDocument, scrubGap, type Needles } from './scrub.js'

// An erasure in three steps, each idempotent and recorded when done, so a crash or an outage
// (ClickHouse, Chroma) resumes at the step that did not finish (docs/adr/0022):
//  1. postgres — one transaction: the contact, their conversations with everything hanging off
//     them (messages, feedback, outcomes, tasks, webhook deliveries, outbox rows), intent
//     corrections made of their words, and their words scrubbed out of knowledge gaps and of the
//     documents written from accepted gaps.
//  2. clickhouse — once every event of the organization older than step 1 is in ClickHouse (an
//     event read by the drainer, or still in the Kafka topic, before step 1 would otherwise land
//     after the delete): every table's rows of those conversations and of the contact, dead
//     letters that name them.
//  3. vectors — the scrubbed documents re-indexed (their old vectors replaced), then done: an
//     audit row and a `contact.erased` event, with counts only.

/** The request is waiting for something outside it (outbox not caught up): try again later. */
class NotYet extends Error {}

/**
 * How long one pass of the ClickHouse step waits for the events older than step 1 to arrive before
 * it leaves the request for the next pass (the worker polls every 5 s and serves every request).
 */
const COVERAGE_WAIT_MS = 1_000

async function scrubGaps(trx: Db, org: string, n: Needles): Promise<number> {
  let changed = 0
  for (const g of await gapsForScrub(trx, org)) {
    const next = scrubGap(g, n)
    if (!next) continue
    await setGapTexts(trx, org, g.id, next)
    changed += 1
  }
  return changed
}

/** Documents written from gaps that quote the person: rewritten; returns their ids (re-indexed in step 3). */
async function scrubDocuments(trx: Db, org: string, n: Needles): Promise<string[]> {
  const ids: string[] = []
  for (const d of await gapDocuments(trx, org)) {
    const next = scrubDocument(d, n)
    if (!next) continue
    await rewriteDocumentTx(trx, d, next)
    ids.push(d.id)
  }
  return ids
}

async function postgresStep(deps: AppDeps, r: ErasureRequest): Promise<void> {
  const org = r.organization_id
  const convIds = await conversationIdsOfContact(deps.db, org, r.contact_id)
  // Gap examples come from ClickHouse's (redacted) copy of the messages: look for both wordings.
  const redacted = await customerTextsInClickHouse(deps.ch, { organizationId: org, conversationIds: convIds })
  await deps.db.transaction().execute(async (trx) => {
    // Another replica's worker may run the same request: one transaction does the step.
    if ((await lockErasureSteps(trx, r.id)).includes('postgres')) return
    const contact = await getContact(trx, org, r.contact_id)
    const texts = [...(await customerTextsOf(trx, org, convIds)), ...redacted]
    const n = needlesOf(contact ?? { name: null, email: null, phone: null }, texts)
    const gone = await deleteConversations(trx, org, convIds)
    const corrections = await deleteIntentCorrectionsWithText(trx, org, n.messages)
    const gaps = await scrubGaps(trx, org, n)
    const documents = await scrubDocuments(trx, org, n)
    const contacts = await deleteContact(trx, org, r.contact_id)
    const seq = await outboxHighSeq(trx)
    await markErasureStep(trx, r.id, 'postgres', {
      conversation_ids: convIds,
      document_ids: documents,
      outbox_seq: seq,
      counts: {
        contacts,
        conversations: gone.conversations,
        messages: gone.messages,
        outboxRows: gone.outboxRows,
        webhookDeliveries: gone.webhookDeliveries,
        intentCorrections: corrections,
        knowledgeGaps: gaps,
        documents: documents.length,
      },
    })
  })
}

async function clickhouseStep(deps: AppDeps, r: ErasureRequest): Promise<void> {
  if (r.outbox_seq !== null) {
    // The same wait as a refresh's: the organization's outbox rows up to the mark, then, with
    // Kafka, the sink's commits past the topic's ends.
    let brokerError: Error | undefined
    const coverage = await waitForCoverage(
      deps.db,
      r.organization_id,
      { seq: r.outbox_seq, at: new Date() },
      {
        deadline: Date.now() + COVERAGE_WAIT_MS,
        nudge: deps.onEventsCommitted,
        stream: deps.streamProgress,
        onError: (err) => (brokerError = err instanceof Error ? err : new Error(String(err))),
      },
    )
    // A broker that did not answer is a failed attempt (recorded: attempts, last error), not a wait.
    if (!coverage.complete && brokerError !== undefined) throw brokerError
    if (!coverage.complete)
      throw new NotYet(`waiting for the ${coverage.waitingOn} to move the events written before the erasure`)
  }
  const deleted = await eraseFromClickHouse(deps.ch, {
    organizationId: r.organization_id,
    contactId: r.contact_id,
    conversationIds: r.conversation_ids,
  })
  const rows = Object.values(deleted).reduce((a, b) => a + b, 0)
  await markErasureStep(deps.db, r.id, 'clickhouse', { counts: { ...r.counts, clickhouseRows: rows } })
}

async function vectorsStep(deps: AppDeps, r: ErasureRequest): Promise<void> {
  for (const id of r.document_ids) {
    const doc = await getDocument(deps.db, r.organization_id, null, id)
    // Deleted meanwhile: its vectors went with it (vector_deletions).
    if (doc && doc.confirmed_at && !(await indexDocument(deps, doc)))
      throw new Error(`re-indexing document ${id} failed (vector store unreachable?)`)
  }
  const conversations = r.counts.conversations ?? 0
  const messages = r.counts.messages ?? 0
  await deps.db.transaction().execute(async (trx) => {
    await markErasureStep(trx, r.id, 'vectors', { done: true })
    await insertAudit(trx, {
      id: newId(),
      organization_id: r.organization_id,
      actor_type: 'system',
      actor_id: null,
      action: 'contact.erased',
      resource_type: 'erasure_request',
      resource_id: r.id,
      request_id: null,
      details: { ...r.counts },
    })
    await appendToOutbox(trx, [
      buildEvent(
        'contact.erased',
        {
          organizationId: r.organization_id,
          vertical: (await getOrganization(trx, r.organization_id))?.vertical ?? 'unknown',
          correlationId: r.id,
        },
        { erasureRequestId: r.id, conversations, messages },
      ),
    ])
  })
  deps.onEventsCommitted?.()
}

const STEPS: Record<ErasureStep, (deps: AppDeps, r: ErasureRequest) => Promise<void>> = {
  postgres: postgresStep,
  clickhouse: clickhouseStep,
  vectors: vectorsStep,
}

/**
 * Runs a request's remaining steps in order. Returns true when it is done; false when a step has
 * to wait or failed (recorded on the request: attempts, last error), to be tried again.
 */
export async function runErasure(deps: AppDeps, id: string): Promise<boolean> {
  for (const step of ['postgres', 'clickhouse', 'vectors'] as const) {
    const r = await loadErasureRequest(deps.db, id)
    if (r.status === 'done') return true
    if (r.steps_done.includes(step)) continue
    try {
      await STEPS[step](deps, r)
    } catch (err) {
      if (!(err instanceof NotYet)) await markErasureFailedAttempt(deps.db, id, `${step}: ${String(err)}`)
      return false
    }
  }
  return (await loadErasureRequest(deps.db, id)).status === 'done'
}

/** Every request not done yet, oldest first; returns how many finished in this pass. */
export async function runPendingErasures(deps: AppDeps): Promise<number> {
  let done = 0
  for (const r of await openErasureRequests(deps.db, 50)) if (await runErasure(deps, r.id)) done += 1
  return done
}

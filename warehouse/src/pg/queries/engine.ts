import { sql, type Kysely } from 'kysely'
import type {
  ConversationMemory,
  Database,
  Experiment,
  ExperimentVariant,
  KnowledgeChunk,
  PromptVersion,
  Task,
  TuningStateRow,
  WebhookDelivery,
  WidgetKey,
} from '../schema.js'
import { paginate, type Page, type PageRequest } from './page.js'

type Db = Kysely<Database>

// ── agents ↔ knowledge bases ────────────────────────────────────────────────────────────────
/** Replaces the set of knowledge bases an agent answers from. */
export async function setAgentKnowledgeBases(
  db: Db,
  organizationId: string,
  agentId: string,
  kbIds: string[],
): Promise<void> {
  await db
    .deleteFrom('agent_knowledge_bases')
    .where('organization_id', '=', organizationId)
    .where('agent_id', '=', agentId)
    .execute()
  if (kbIds.length === 0) return
  await db
    .insertInto('agent_knowledge_bases')
    .values(
      [...new Set(kbIds)].map((kb) => ({
        organization_id: organizationId,
        agent_id: agentId,
        knowledge_base_id: kb,
      })),
    )
    .execute()
}

export async function agentKnowledgeBaseIds(
  db: Db,
  organizationId: string,
  agentId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('agent_knowledge_bases')
    .select('knowledge_base_id')
    .where('organization_id', '=', organizationId)
    .where('agent_id', '=', agentId)
    .orderBy('created_at')
    .execute()
  return rows.map((r) => r.knowledge_base_id)
}

/** How many of these ids are knowledge bases of the organization (to refuse foreign ids). */
export async function countOwnKnowledgeBases(db: Db, organizationId: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0
  const row = await db
    .selectFrom('knowledge_bases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', organizationId)
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

// ── knowledge chunks ────────────────────────────────────────────────────────────────────────
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

export async function markDocumentIndexed(db: Db, organizationId: string, documentId: string): Promise<void> {
  await db
    .updateTable('knowledge_documents')
    .set({ indexed_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('id', '=', documentId)
    .execute()
}

/** Documents whose chunks are not in the vector store yet (crash or store outage): re-indexed at start. */
export async function unindexedDocuments(db: Db, limit = 500) {
  return db
    .selectFrom('knowledge_documents')
    .select(['id', 'organization_id', 'knowledge_base_id', 'title', 'questions'])
    .where('indexed_at', 'is', null)
    .limit(limit)
    .execute()
}

// ── prompt versions, experiments, tuning state ──────────────────────────────────────────────
export async function insertPromptVersion(
  db: Db,
  p: { id: string; organization_id: string; name: string; template: string },
): Promise<PromptVersion> {
  const last = await db
    .selectFrom('prompt_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('organization_id', '=', p.organization_id)
    .where('name', '=', p.name)
    .executeTakeFirst()
  const version = Number(last?.v ?? 0) + 1
  return db
    .insertInto('prompt_versions')
    .values({ ...p, version })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function getPromptVersion(
  db: Db,
  organizationId: string,
  id: string,
): Promise<PromptVersion | undefined> {
  return db
    .selectFrom('prompt_versions')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function listPromptVersions(
  db: Db,
  organizationId: string,
  page: PageRequest,
): Promise<Page<PromptVersion>> {
  return paginate(
    db.selectFrom('prompt_versions').selectAll().where('organization_id', '=', organizationId),
    'id',
    page,
  )
}

export async function insertExperiment(
  db: Db,
  e: { id: string; organization_id: string; agent_id: string; name: string },
  variants: { id: string; prompt_version_id: string; label: string }[],
): Promise<{ experiment: Experiment; variants: ExperimentVariant[] }> {
  const experiment = await db.insertInto('experiments').values(e).returningAll().executeTakeFirstOrThrow()
  const rows = await db
    .insertInto('experiment_variants')
    .values(variants.map((v) => ({ ...v, organization_id: e.organization_id, experiment_id: e.id })))
    .returningAll()
    .execute()
  return { experiment, variants: rows }
}

export async function getExperiment(
  db: Db,
  organizationId: string,
  id: string,
): Promise<Experiment | undefined> {
  return db
    .selectFrom('experiments')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function listExperiments(
  db: Db,
  organizationId: string,
  page: PageRequest,
): Promise<Page<Experiment>> {
  return paginate(
    db.selectFrom('experiments').selectAll().where('organization_id', '=', organizationId),
    'id',
    page,
  )
}

export async function setExperimentStatus(
  db: Db,
  organizationId: string,
  id: string,
  status: 'running' | 'stopped' | 'completed',
  winner?: string | null,
) {
  return db
    .updateTable('experiments')
    .set({ status, updated_at: new Date(), ...(winner !== undefined ? { winner_variant_id: winner } : {}) })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export async function listVariants(
  db: Db,
  organizationId: string,
  experimentId: string,
): Promise<ExperimentVariant[]> {
  return db
    .selectFrom('experiment_variants')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('experiment_id', '=', experimentId)
    .orderBy('id')
    .execute()
}

export interface RunningVariant {
  experiment_id: string
  variant_id: string
  label: string
  template: string
  weight: number | null
}

/** The agent's running experiment, its variants with their prompt and current weight (null = no decision yet). */
export async function runningVariants(
  db: Db,
  organizationId: string,
  agentId: string,
): Promise<RunningVariant[]> {
  return db
    .selectFrom('experiments as e')
    .innerJoin('experiment_variants as v', 'v.experiment_id', 'e.id')
    .innerJoin('prompt_versions as p', 'p.id', 'v.prompt_version_id')
    .leftJoin('tuning_state as t', (j) =>
      j.onRef('t.variant_id', '=', 'v.id').onRef('t.experiment_id', '=', 'e.id'),
    )
    .select(['e.id as experiment_id', 'v.id as variant_id', 'v.label', 'p.template', 't.weight'])
    .where('e.organization_id', '=', organizationId)
    .where('e.agent_id', '=', agentId)
    .where('e.status', '=', 'running')
    .orderBy('e.id', 'desc')
    .orderBy('v.id')
    .execute()
    .then((rows) => rows.filter((r) => r.experiment_id === rows[0]?.experiment_id))
}

export async function tuningStateOf(
  db: Db,
  organizationId: string,
  experimentId: string,
): Promise<TuningStateRow[]> {
  return db
    .selectFrom('tuning_state')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('experiment_id', '=', experimentId)
    .execute()
}

/** Writes traffic weights for an experiment's variants (the pipelines' decision). */
export async function upsertTuningWeights(
  db: Db,
  organizationId: string,
  experimentId: string,
  weights: { variant_id: string; weight: number }[],
  reason: string,
): Promise<void> {
  for (const w of weights) {
    await db
      .insertInto('tuning_state')
      .values({
        organization_id: organizationId,
        experiment_id: experimentId,
        variant_id: w.variant_id,
        weight: w.weight,
        reason,
      })
      .onConflict((oc) =>
        oc
          .columns(['experiment_id', 'variant_id'])
          .doUpdateSet({ weight: w.weight, reason, updated_at: new Date() }),
      )
      .execute()
  }
}

// ── conversations: turns (recent messages in, recordTurn out) ────────────────────────────────
/** The last turns of a conversation, oldest first. */
export async function recentMessages(db: Db, organizationId: string, conversationId: string, limit: number) {
  const rows = await db
    .selectFrom('messages')
    .select(['role', 'text', 'created_at'])
    .where('organization_id', '=', organizationId)
    .where('conversation_id', '=', conversationId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.reverse()
}

// ── widget keys ─────────────────────────────────────────────────────────────────────────────
export async function insertWidgetKey(
  db: Db,
  k: { id: string; organization_id: string; agent_id: string; public_key: string; allowed_origins: string[] },
): Promise<WidgetKey> {
  return db.insertInto('widget_keys').values(k).returningAll().executeTakeFirstOrThrow()
}

export async function findWidgetKey(db: Db, publicKey: string) {
  return db
    .selectFrom('widget_keys as w')
    .innerJoin('organizations as o', 'o.id', 'w.organization_id')
    .select(['w.id', 'w.organization_id', 'w.agent_id', 'w.allowed_origins', 'o.vertical'])
    .where('w.public_key', '=', publicKey)
    .where('w.revoked_at', 'is', null)
    .executeTakeFirst()
}

export async function listWidgetKeys(
  db: Db,
  organizationId: string,
  page: PageRequest,
): Promise<Page<WidgetKey>> {
  return paginate(
    db
      .selectFrom('widget_keys')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('revoked_at', 'is', null),
    'id',
    page,
  )
}

export async function revokeWidgetKey(db: Db, organizationId: string, id: string): Promise<boolean> {
  const r = await db
    .updateTable('widget_keys')
    .set({ revoked_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

// ── webhooks ────────────────────────────────────────────────────────────────────────────────
export async function setOrganizationWebhook(
  db: Db,
  organizationId: string,
  url: string | null,
  secret: string | null,
): Promise<void> {
  await db
    .updateTable('organizations')
    .set({ webhook_url: url, webhook_secret: secret, updated_at: new Date() })
    .where('id', '=', organizationId)
    .execute()
}

export async function enqueueWebhook(
  db: Db,
  d: {
    id: string
    organization_id: string
    event_type: string
    url: string
    payload: Record<string, unknown>
  },
): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .values({ ...d, payload: JSON.stringify(d.payload) })
    .execute()
}

/** Deliveries due now, with the organization's signing secret. */
export async function dueWebhooks(db: Db, limit: number) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('organizations as o', 'o.id', 'd.organization_id')
    .select([
      'd.id',
      'd.organization_id',
      'd.event_type',
      'd.url',
      'd.payload',
      'd.attempts',
      'o.webhook_secret',
    ])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', new Date())
    .orderBy('d.next_attempt_at')
    .limit(limit)
    .execute()
}

export async function recordWebhookAttempt(
  db: Db,
  id: string,
  r: {
    status: 'pending' | 'delivered' | 'failed'
    attempts: number
    next_attempt_at: Date
    last_error: string | null
  },
): Promise<void> {
  await db.updateTable('webhook_deliveries').set(r).where('id', '=', id).execute()
}

export async function listWebhookDeliveries(
  db: Db,
  organizationId: string,
  page: PageRequest,
): Promise<Page<WebhookDelivery>> {
  return paginate(
    db.selectFrom('webhook_deliveries').selectAll().where('organization_id', '=', organizationId),
    'id',
    page,
  )
}

// ── tasks and intent corrections ────────────────────────────────────────────────────────────
export async function insertTask(
  db: Db,
  t: {
    id: string
    organization_id: string
    conversation_id: string | null
    kind: string
    details: Record<string, unknown>
  },
): Promise<Task> {
  return db
    .insertInto('tasks')
    .values({ ...t, details: JSON.stringify(t.details) })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function listTasks(db: Db, organizationId: string, page: PageRequest): Promise<Page<Task>> {
  return paginate(
    db.selectFrom('tasks').selectAll().where('organization_id', '=', organizationId),
    'id',
    page,
  )
}

export async function insertIntentCorrection(
  db: Db,
  c: { id: string; organization_id: string; vertical: string; text: string; intent: string },
): Promise<void> {
  await db.insertInto('intent_corrections').values(c).execute()
}

export async function intentCorrections(db: Db, organizationId: string, vertical: string) {
  return db
    .selectFrom('intent_corrections')
    .select(['text', 'intent'])
    .where('organization_id', '=', organizationId)
    .where('vertical', '=', vertical)
    .orderBy('id')
    .limit(5000)
    .execute()
}

/** A cheap version stamp for an organization's corrections: the classifier cache key. */
export async function intentCorrectionsStamp(
  db: Db,
  organizationId: string,
  vertical: string,
): Promise<string> {
  const r = await db
    .selectFrom('intent_corrections')
    .select([(eb) => eb.fn.countAll<number>().as('n'), sql<string>`max(id::text)`.as('last')])
    .where('organization_id', '=', organizationId)
    .where('vertical', '=', vertical)
    .executeTakeFirstOrThrow()
  return `${r.n}:${r.last ?? ''}`
}

export interface TurnWrite {
  organizationId: string
  conversationId: string
  /** The customer's message and the agent's reply, in that order (their ids are UUIDv7, so they sort so). */
  messages: { id: string; role: 'customer' | 'agent'; text: string; metadata: Record<string, unknown> }[]
  memory: ConversationMemory
  /** Set when the conversation had no contact and this turn learned one. */
  contactId?: string | null
  /** 'open' reopens a resolved/closed conversation; 'handed_off' escalates it (with the reason). */
  status?: 'open' | 'handed_off'
  escalationReason?: string
}

/**
 * Writes one engine turn with two statements: both messages in one insert, then one update of the
 * conversation (count, last message, memory, contact, status). A turn used to cost six.
 */
export async function recordTurn(db: Db, t: TurnWrite): Promise<void> {
  await db
    .insertInto('messages')
    .values(
      t.messages.map((m) => ({
        id: m.id,
        organization_id: t.organizationId,
        conversation_id: t.conversationId,
        role: m.role,
        text: m.text,
        metadata: JSON.stringify(m.metadata),
      })),
    )
    .execute()
  const now = new Date()
  await db
    .updateTable('conversations')
    .set((eb) => ({
      message_count: eb('message_count', '+', t.messages.length),
      last_message_at: now,
      updated_at: now,
      memory: JSON.stringify(t.memory),
      ...(t.contactId ? { contact_id: eb.fn.coalesce('contact_id', eb.val(t.contactId)) } : {}),
      ...(t.status ? { status: t.status } : {}),
      ...(t.status === 'handed_off'
        ? { escalation_reason: t.escalationReason ?? null, escalated_at: now }
        : {}),
    }))
    .where('organization_id', '=', t.organizationId)
    .where('id', '=', t.conversationId)
    .execute()
}

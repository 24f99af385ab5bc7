import { sql, type Kysely, type Selectable } from 'kysely'
import type { Database, GapStatus, KnowledgeGapsTable, TuningHistoryTable } from '../schema.js'

type Db = Kysely<Database>
export type KnowledgeGap = Selectable<KnowledgeGapsTable>
export type TuningHistoryRow = Selectable<TuningHistoryTable>

// ── knowledge gaps: the review queue written by the knowledge_gaps_v1 job ──────────────────
export interface GapWrite {
  label: string
  score: number
  volume: number
  escalations: number
  last_seen_at: Date
  centroid: number[]
  examples: string[]
  member_ids: string[]
  drafted_answer: string | null
}

/** Every gap of an organization with its centroid (the job matches new clusters against them). */
export async function gapsForMatching(db: Db, organizationId: string): Promise<KnowledgeGap[]> {
  return db
    .selectFrom('knowledge_gaps')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('id')
    .execute()
}

export async function insertGap(
  db: Db,
  g: GapWrite & { id: string; organization_id: string },
): Promise<void> {
  await db
    .insertInto('knowledge_gaps')
    .values({
      ...g,
      centroid: JSON.stringify(g.centroid),
      examples: JSON.stringify(g.examples),
      member_ids: JSON.stringify(g.member_ids),
    })
    .execute()
}

/** Updates a gap the job grew (or reopened); the review fields are left alone. */
export async function updateGap(
  db: Db,
  organizationId: string,
  id: string,
  g: Partial<GapWrite> & { status?: GapStatus },
): Promise<void> {
  await db
    .updateTable('knowledge_gaps')
    .set({
      ...g,
      ...(g.centroid ? { centroid: JSON.stringify(g.centroid) } : {}),
      ...(g.examples ? { examples: JSON.stringify(g.examples) } : {}),
      ...(g.member_ids ? { member_ids: JSON.stringify(g.member_ids) } : {}),
      updated_at: new Date(),
    })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .execute()
}

export async function getGap(db: Db, organizationId: string, id: string): Promise<KnowledgeGap | undefined> {
  return db
    .selectFrom('knowledge_gaps')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/**
 * Gaps of a status, best-ranked first (score desc, then id desc). The cursor is the last gap's
 * id: the next page starts after its (score, id).
 */
export async function listRankedGaps(
  db: Db,
  organizationId: string,
  status: GapStatus,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: KnowledgeGap[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('knowledge_gaps')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('status', '=', status)
  if (page.cursor) {
    const after = await getGap(db, organizationId, page.cursor)
    if (after)
      q = q.where((eb) =>
        eb.or([
          eb('score', '<', after.score),
          eb.and([eb('score', '=', after.score), eb('id', '<', after.id)]),
        ]),
      )
  }
  const rows = await q
    .orderBy('score', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute()
  const items = rows.slice(0, page.limit)
  return { items, nextCursor: rows.length > page.limit ? (items[items.length - 1]?.id ?? null) : null }
}

/** Marks an open gap reviewed; returns false when it is not open any more (already reviewed). */
export async function reviewGap(
  db: Db,
  organizationId: string,
  id: string,
  r: {
    status: 'accepted' | 'rejected'
    reviewed_by: string | null
    accepted_answer?: string | null
    document_id?: string | null
  },
): Promise<boolean> {
  const res = await db
    .updateTable('knowledge_gaps')
    .set({ ...r, reviewed_at: new Date(), updated_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst()
  return Number(res.numUpdatedRows) > 0
}

/** The knowledge base accepted answers go to by default: the first one linked to an agent. */
export async function firstAgentKnowledgeBase(db: Db, organizationId: string): Promise<string | null> {
  const row = await db
    .selectFrom('agent_knowledge_bases')
    .select('knowledge_base_id')
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .orderBy('knowledge_base_id')
    .executeTakeFirst()
  return row?.knowledge_base_id ?? null
}

export async function findKnowledgeBaseByName(
  db: Db,
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

// ── tuning history: every traffic-weight change with its reason ────────────────────────────
export async function insertTuningHistory(
  db: Db,
  h: {
    id: string
    organization_id: string
    experiment_id: string
    weights: Record<string, number>
    posteriors: Record<string, { alpha: number; beta: number; n: number }>
    reason: string
  },
): Promise<void> {
  await db
    .insertInto('tuning_history')
    .values({ ...h, weights: JSON.stringify(h.weights), posteriors: JSON.stringify(h.posteriors) })
    .execute()
}

export async function listTuningHistory(
  db: Db,
  organizationId: string,
  experimentId: string,
  limit = 100,
): Promise<TuningHistoryRow[]> {
  return db
    .selectFrom('tuning_history')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('experiment_id', '=', experimentId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

/** Running experiments of an organization (the variant scoring job scores each). */
export async function runningExperiments(db: Db, organizationId: string) {
  return db
    .selectFrom('experiments')
    .select(['id', 'agent_id'])
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'running')
    .orderBy('id')
    .execute()
}

/** Serves the winner after an experiment ends: the agent's prompt becomes the winner's prompt version. */
export async function promoteWinnerPrompt(
  db: Db,
  organizationId: string,
  agentId: string,
  variantId: string,
): Promise<void> {
  await db
    .updateTable('agents')
    .set({
      prompt_version_id: sql<string>`(SELECT prompt_version_id FROM experiment_variants WHERE id = ${variantId} AND organization_id = ${organizationId})`,
      updated_at: new Date(),
    })
    .where('organization_id', '=', organizationId)
    .where('id', '=', agentId)
    .execute()
}

/** Links a knowledge base to every agent of the organization (the new "Answers from gaps" KB). */
export async function linkKnowledgeBaseToAllAgents(
  db: Db,
  organizationId: string,
  kbId: string,
): Promise<void> {
  const agents = await db
    .selectFrom('agents')
    .select('id')
    .where('organization_id', '=', organizationId)
    .execute()
  if (agents.length === 0) return
  await db
    .insertInto('agent_knowledge_bases')
    .values(agents.map((a) => ({ organization_id: organizationId, agent_id: a.id, knowledge_base_id: kbId })))
    .onConflict((oc) => oc.doNothing())
    .execute()
}

// Knowledge gaps: the review queue written by the knowledge_gaps_v1 job.
import { sql, type Selectable } from 'kysely'
import type { GapStatus, KnowledgeGapsTable } from '../schema.js'
import type { Db } from '../db.js'

export type KnowledgeGap = Selectable<KnowledgeGapsTable>

export interface GapWrite {
  label: string
  score: number
  volume: number
  escalations: number
  last_seen_at: Date
  centroid: number[]
  /** The embedder id that made the centroid. */
  embedder: string
  /** Length of the mean of the members' unit vectors (see KnowledgeGapsTable.cohesion). */
  cohesion?: number | null
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

/**
 * The gaps whose centroid another embedder made (or an unrecorded one: stored before the column
 * existed), or whose cohesion was never recorded. The job re-embeds them before it compares
 * anything with them.
 */
export async function gapsMadeByOtherEmbedder(
  db: Db,
  organizationId: string,
  embedder: string,
): Promise<KnowledgeGap[]> {
  return db
    .selectFrom('knowledge_gaps')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where((eb) =>
      eb.or([eb('embedder', 'is', null), eb('embedder', '!=', embedder), eb('cohesion', 'is', null)]),
    )
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

/**
 * Sets the score of many gaps in one statement: the job re-ranks every open gap each run (recency
 * decays), which was one UPDATE per gap. Only `score` and `updated_at` move, as updateGap({ score })
 * would; ids of another organization are left alone.
 */
export async function rescoreGaps(
  db: Db,
  organizationId: string,
  scores: readonly { id: string; score: number }[],
): Promise<void> {
  if (scores.length === 0) return
  await sql`
    UPDATE knowledge_gaps AS g SET score = v.score, updated_at = ${new Date()}
    FROM jsonb_to_recordset(${JSON.stringify(scores)}::jsonb) AS v(id uuid, score double precision)
    WHERE g.organization_id = ${organizationId} AND g.id = v.id`.execute(db)
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

/** When the organization's failed questions were last re-clustered in full, or null before the first time. */
export async function lastGapRecluster(db: Db, organizationId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('knowledge_gap_reclusters')
    .select('reclustered_at')
    .where('organization_id', '=', organizationId)
    .executeTakeFirst()
  return row?.reclustered_at ?? null
}

/** Records a full re-cluster of the organization's failed questions (up to `at`). */
export async function recordGapRecluster(
  db: Db,
  organizationId: string,
  run: { at: Date; questions: number },
): Promise<void> {
  const values = { reclustered_at: run.at, questions: run.questions, updated_at: new Date() }
  await db
    .insertInto('knowledge_gap_reclusters')
    .values({ organization_id: organizationId, ...values })
    .onConflict((oc) => oc.column('organization_id').doUpdateSet(values))
    .execute()
}

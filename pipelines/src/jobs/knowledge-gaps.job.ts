import {
  failedQuestions,
  gapCandidates,
  gapsForMatching,
  gapsMadeByOtherEmbedder,
  getOrganization,
  insertGap,
  insertGapCandidates,
  lastGapRecluster,
  newId,
  questionsOfReplies,
  recordGapRecluster,
  rescoreGaps,
  updateGap,
  type FailedQuestionRow,
  type GapCandidateRow,
  type GapCandidateWrite,
  type KnowledgeGap,
} from '@luneo/warehouse'
import { defineJob, type JobContext, type JobResult } from '../runner/job.js'
import { centroid, clusterByThreshold } from './clustering.js'
import { removeFiller } from './filler.js'
import { draftAnswer, gapTitle } from './gap-writing.js'
import {
  byCentrality,
  cohesionOf,
  examplesOf,
  gapOptionsFor,
  gapScore,
  grownCentroid,
  placeQuestions,
  planGaps,
  type CostAssumptions,
  type FailedQuestion,
  type GapAction,
  type GapOptions,
  type StoredGap,
} from './gaps.js'

const DAY = 24 * 3600 * 1000
/** Failed questions clustered per run at most (the most recent): O(n²) memory, 2k ⇒ 32 MB of distances. */
const MAX_QUESTIONS = 2000
/** How often an organization's failed questions are re-clustered in full; runs between assign (ADR 0023). */
export const RECLUSTER_EVERY_MS = DAY

const stored = (g: KnowledgeGap): StoredGap => ({
  id: g.id,
  status: g.status,
  centroid: g.centroid,
  cohesion: g.cohesion,
  memberIds: g.member_ids,
  volume: g.volume,
  escalations: g.escalations,
  lastSeenAt: g.last_seen_at.getTime(),
  reviewedAt: g.reviewed_at?.getTime() ?? null,
  examples: g.examples,
})

interface NewGap {
  id: string
  members: FailedQuestion[]
  centroid: number[]
  examples: string[]
  label: string
  draft: string
}

/** Writes the run's plan in one transaction: new gaps, grown or reopened ones, and every open gap re-ranked. */
async function applyPlan(
  ctx: JobContext,
  org: string,
  o: GapOptions,
  cost: CostAssumptions,
  plan: { creates: NewGap[]; actions: GapAction[]; existing: StoredGap[] },
): Promise<number> {
  const { creates, actions, existing } = plan
  const now = ctx.to.getTime()
  let rowsOut = 0
  await ctx.db.transaction().execute(async (trx) => {
    for (const c of creates) {
      const g = {
        volume: c.members.length,
        escalations: c.members.filter((m) => m.escalated).length,
        lastSeenAt: Math.max(...c.members.map((m) => m.repliedAt)),
      }
      await insertGap(trx, {
        id: c.id,
        organization_id: org,
        label: c.label,
        score: gapScore(g, now, cost, o.halfLifeDays),
        volume: g.volume,
        escalations: g.escalations,
        last_seen_at: new Date(g.lastSeenAt),
        centroid: c.centroid,
        cohesion: cohesionOf(c.members.map((m) => m.vector)),
        embedder: ctx.embedder.id,
        examples: c.examples,
        member_ids: c.members.map((m) => m.replyId),
        drafted_answer: c.draft,
      })
      rowsOut += 1
    }
    const grown = new Set<string>()
    for (const a of actions) {
      if (a.kind !== 'grow' || (a.added.length === 0 && !a.reopen)) continue
      const g = a.gap
      const moved = grownCentroid(g, a.added)
      g.volume += a.added.length
      g.escalations += a.added.filter((m) => m.escalated).length
      g.lastSeenAt = Math.max(g.lastSeenAt, ...a.added.map((m) => m.repliedAt))
      g.centroid = moved.centroid
      g.cohesion = moved.cohesion
      g.memberIds = [...g.memberIds, ...a.added.map((m) => m.replyId)]
      g.examples = examplesOf(g.examples, byCentrality(a.added, moved.centroid), o.maxExamples)
      if (a.reopen) g.status = 'open'
      grown.add(g.id)
    }
    // Every open gap is re-ranked: recency decays even when nothing new came. The grown ones are
    // written whole; the rest only get their score, all in one statement.
    const rescored: { id: string; score: number }[] = []
    for (const g of existing) {
      if (g.status !== 'open') continue
      const score = gapScore(g, now, cost, o.halfLifeDays)
      if (!grown.has(g.id)) {
        rescored.push({ id: g.id, score })
        continue
      }
      await updateGap(trx, org, g.id, {
        score,
        status: 'open' as const,
        volume: g.volume,
        escalations: g.escalations,
        last_seen_at: new Date(g.lastSeenAt),
        centroid: g.centroid,
        cohesion: g.cohesion,
        embedder: ctx.embedder.id,
        member_ids: g.memberIds,
        examples: g.examples,
      })
      rowsOut += 1
    }
    await rescoreGaps(trx, org, rescored)
  })
  return rowsOut
}

/**
 * Gaps whose centroid another embedder made (or one stored before the embedder was recorded), or
 * whose cohesion was never recorded, get both again from their member questions in this
 * embedder's space (their examples when the members are gone), so nothing compares vectors of two
 * spaces. Returns how many were re-embedded.
 */
async function reembedStaleGaps(ctx: JobContext, org: string): Promise<number> {
  const stale = await gapsMadeByOtherEmbedder(ctx.db, org, ctx.embedder.id)
  for (const g of stale) {
    const rows = await questionsOfReplies(ctx.ch, { organizationId: org, replyIds: g.member_ids })
    const texts = (rows.length ? rows.map((r) => r.question) : g.examples)
      .map((t) => removeFiller(t) || t)
      .filter((t) => t !== '')
    const vectors = texts.length ? await ctx.embedder.embed(texts) : []
    // A gap with no text left keeps a zero centroid: it matches nothing (cosine 0) until it grows.
    const c = vectors.length ? centroid(vectors) : new Array<number>(ctx.embedder.dimension).fill(0)
    await updateGap(ctx.db, org, g.id, {
      centroid: c,
      cohesion: cohesionOf(vectors),
      embedder: ctx.embedder.id,
    })
  }
  if (stale.length) ctx.log?.(`[knowledge_gaps_v1] re-embedded ${stale.length} gaps with ${ctx.embedder.id}`)
  return stale.length
}

/**
 * Failed questions with their filler removed and embedded; `filler`: those that were pure filler
 * (never clustered, but processed all the same).
 */
async function embedQuestions(
  ctx: JobContext,
  rows: readonly FailedQuestionRow[],
): Promise<{ questions: FailedQuestion[]; filler: FailedQuestionRow[] }> {
  const kept = rows.map((r) => ({ r, text: removeFiller(r.question) })).filter((x) => x.text !== '')
  const vectors = kept.length ? await ctx.embedder.embed(kept.map((x) => x.text)) : []
  return {
    questions: kept.map(({ r, text }, i) => ({
      replyId: r.reply_id,
      conversationId: r.conversation_id,
      text,
      repliedAt: r.at,
      escalated: r.escalated_after,
      vector: vectors[i]!,
    })),
    filler: rows.filter((r) => removeFiller(r.question) === ''),
  }
}

/**
 * Records where each processed question went (gap_candidates_v1); pure filler in no vector space.
 * The vector is kept only where a later run reads it: pending questions (clustered again) and
 * those an accepted gap kept (they reopen it); a member of an open or rejected gap needs none.
 */
async function recordCandidates(
  ctx: JobContext,
  org: string,
  gaps: readonly StoredGap[],
  placed: readonly { q: FailedQuestion; gapId: string | null }[],
  filler: readonly FailedQuestionRow[] = [],
): Promise<void> {
  const accepted = new Set(gaps.filter((g) => g.status === 'accepted').map((g) => g.id))
  const row = ({ q, gapId }: { q: FailedQuestion; gapId: string | null }): GapCandidateWrite => ({
    replyId: q.replyId,
    conversationId: q.conversationId,
    question: q.text,
    repliedAt: q.repliedAt,
    escalated: q.escalated,
    vector: gapId === null || accepted.has(gapId) ? q.vector : [],
    gapId,
  })
  await insertGapCandidates(ctx.ch, { organizationId: org, embedder: ctx.embedder.id, rows: placed.map(row) })
  const noSpace = filler.map((r) => ({
    replyId: r.reply_id,
    conversationId: r.conversation_id,
    question: '',
    repliedAt: r.at,
    escalated: r.escalated_after,
    vector: [],
    gapId: null,
  }))
  await insertGapCandidates(ctx.ch, { organizationId: org, embedder: '', rows: noSpace })
}

/** Titles and drafts of the plan's new gaps, before the transaction: they call the provider and the vector store. */
async function writeNewGaps(
  ctx: JobContext,
  org: string,
  o: GapOptions,
  model: string,
  actions: readonly GapAction[],
): Promise<Map<GapAction, NewGap>> {
  const creates = new Map<GapAction, NewGap>()
  for (const a of actions) {
    if (a.kind !== 'create') continue
    const central = byCentrality(a.members, a.centroid)
    const examples = examplesOf([], central, o.maxExamples)
    const label = await gapTitle(ctx, model, examples)
    const draft = await draftAnswer(ctx, model, org, label, examples)
    creates.set(a, { id: newId(), members: central, centroid: a.centroid, examples, label, draft })
  }
  return creates
}

/**
 * The gap each clustered question went to (null: still pending). planGaps answers cluster by
 * cluster, in order; a cluster that grew a gap is the gap's whole (its earlier members included).
 */
function placement(
  clusters: readonly FailedQuestion[][],
  actions: readonly GapAction[],
  creates: Map<GapAction, NewGap>,
): { q: FailedQuestion; gapId: string | null }[] {
  return actions.flatMap((a, i) => {
    const gapId = a.kind === 'create' ? creates.get(a)!.id : a.kind === 'skipped' ? null : a.gap.id
    return clusters[i]!.map((q) => ({ q, gapId }))
  })
}

interface RunSettings {
  org: string
  o: GapOptions
  model: string
}

/**
 * The full re-cluster (on `full`, a first run, and every RECLUSTER_EVERY_MS): the window's failed
 * questions (the most recent MAX_QUESTIONS) embedded and clustered together, the clusters matched
 * to the stored gaps (planGaps). Records where every question went, so later runs start from it.
 */
async function recluster(ctx: JobContext, { org, o, model }: RunSettings): Promise<JobResult> {
  const rows = await failedQuestions(ctx.ch, {
    organizationId: org,
    from: ctx.from,
    to: ctx.to,
    limit: MAX_QUESTIONS,
  })
  const { questions, filler } = await embedQuestions(ctx, rows)
  const clusters = clusterByThreshold(
    questions.map((q) => q.vector),
    o.maxDistance,
  ).map((c) => c.map((i) => questions[i]!))
  const existing = (await gapsForMatching(ctx.db, org)).map(stored)
  const actions = planGaps(clusters, existing, o)
  const creates = await writeNewGaps(ctx, org, o, model, actions)
  const cost = await costAssumptions(ctx, org)
  const rowsOut = await applyPlan(ctx, org, o, cost, { creates: [...creates.values()], actions, existing })
  const placed = placement(clusters, actions, creates)
  await recordCandidates(ctx, org, existing, placed, filler)
  await recordGapRecluster(ctx.db, org, { at: ctx.to, questions: questions.length })
  return { rowsIn: questions.length, rowsOut }
}

/**
 * An incremental run (ADR 0023): only the failed questions not processed before are embedded.
 * Each joins the stored gap the full clustering would put it in (nearestGap: average linkage
 * within the cut, or the match similarity), by that gap's status: an open gap grows, an accepted
 * one reopens once `reopenAfter` questions came after its acceptance, a rejected one keeps them.
 * The rest are pending: clustered with the window's earlier pending questions (their stored
 * vectors), so a new topic becomes a gap as soon as it has `minClusterSize` questions.
 */
async function assignNew(ctx: JobContext, { org, o, model }: RunSettings): Promise<JobResult | null> {
  const rows = await failedQuestions(ctx.ch, {
    organizationId: org,
    from: ctx.from,
    to: ctx.to,
    limit: MAX_QUESTIONS,
    unprocessed: true,
  })
  if (rows.length === 0) return null
  // Oldest first: a gap's members and examples read in the order the questions came.
  const { questions, filler } = await embedQuestions(ctx, [...rows].reverse())
  const existing = (await gapsForMatching(ctx.db, org)).map(stored)
  const owner = new Map<string, StoredGap>()
  for (const g of existing) for (const id of g.memberIds) owner.set(id, g)

  // Already a member (a run that stopped between its two writes): only its row was missing.
  const placed: { q: FailedQuestion; gapId: string | null }[] = questions.flatMap((q) => {
    const known = owner.get(q.replyId)
    return known ? [{ q, gapId: known.id }] : []
  })
  const { byGap, pending: pendingNew } = placeQuestions(
    questions.filter((q) => !owner.has(q.replyId)),
    existing,
    o,
  )

  const actions: GapAction[] = []
  // An accepted gap reopens on the questions after its acceptance, counted across runs: those
  // kept by it earlier (gap_candidates_v1) and this run's.
  const accepted = [...byGap.keys()].filter((g) => g.status === 'accepted' && g.reviewedAt !== null)
  const keptBefore = await gapCandidates(ctx.ch, {
    organizationId: org,
    from: ctx.from,
    embedder: ctx.embedder.id,
    limit: MAX_QUESTIONS,
    gapIds: accepted.map((g) => g.id),
  })
  for (const [g, added] of byGap) {
    placed.push(...added.map((q) => ({ q, gapId: g.id })))
    if (g.status === 'open') {
      actions.push({ kind: 'grow', gap: g, added, reopen: false })
      continue
    }
    if (g.status === 'accepted' && g.reviewedAt !== null) {
      const members = new Set(g.memberIds)
      const before = keptBefore.filter((r) => r.gap_id === g.id).map(candidateQuestion)
      const after = [...before, ...added].filter(
        (m) => m.repliedAt > g.reviewedAt! && !members.has(m.replyId),
      )
      if (after.length >= o.reopenAfter) {
        actions.push({ kind: 'grow', gap: g, added: after, reopen: true })
        continue
      }
    }
    actions.push({ kind: 'suppressed', gap: g, members: added })
  }

  let creates = new Map<GapAction, NewGap>()
  if (pendingNew.length > 0) {
    const earlier = (
      await gapCandidates(ctx.ch, {
        organizationId: org,
        from: ctx.from,
        embedder: ctx.embedder.id,
        limit: Math.max(0, MAX_QUESTIONS - pendingNew.length),
        pending: true,
      })
    )
      .map(candidateQuestion)
      .filter((q) => !owner.has(q.replyId))
    const pending = [...pendingNew, ...earlier]
    const clusters = clusterByThreshold(
      pending.map((q) => q.vector),
      o.maxDistance,
    ).map((c) => c.map((i) => pending[i]!))
    const plan = planGaps(clusters, existing, o)
    creates = await writeNewGaps(ctx, org, o, model, plan)
    const fresh = new Set(pendingNew)
    // Earlier pending questions get a new row only when they left the pending set.
    placed.push(...placement(clusters, plan, creates).filter((p) => fresh.has(p.q) || p.gapId !== null))
    actions.push(...plan)
  }
  const cost = await costAssumptions(ctx, org)
  const rowsOut = await applyPlan(ctx, org, o, cost, { creates: [...creates.values()], actions, existing })
  await recordCandidates(ctx, org, existing, placed, filler)
  return { rowsIn: rows.length, rowsOut }
}

/** A stored candidate as the clustering sees it. */
const candidateQuestion = (r: GapCandidateRow): FailedQuestion => ({
  replyId: r.reply_id,
  conversationId: r.conversation_id,
  text: r.question,
  repliedAt: r.at,
  escalated: r.escalated,
  vector: r.vector,
})

async function costAssumptions(ctx: JobContext, org: string): Promise<CostAssumptions> {
  const o = await getOrganization(ctx.db, org)
  return { minutesPerConversation: o?.minutes_per_conversation ?? 6, hourlyCost: o?.hourly_cost ?? 30 }
}

/**
 * Gap detection over the failed questions of the recent window (DESIGN §6 knowledge gap): a full
 * re-cluster on `full`, on a first run and every `reclusterEveryMs` (a day by default); between
 * them, each run assigns only the new failed questions (ADR 0023).
 */
export function createKnowledgeGaps(
  options: Partial<GapOptions> & { draftModel?: string; reclusterEveryMs?: number } = {},
) {
  const { draftModel, reclusterEveryMs = RECLUSTER_EVERY_MS, ...overrides } = options
  return defineJob({
    name: 'knowledge_gaps_v1',
    scope: 'organization',
    // A gap is a pattern over weeks, not minutes: the re-cluster reads the last 30 days of failed
    // questions (capped at MAX_QUESTIONS); the incremental runs look for unprocessed ones there.
    lookbackMs: 30 * DAY,
    async run(ctx) {
      const org = ctx.organizationId!
      const settings = {
        org,
        o: gapOptionsFor(ctx.embedder.id, overrides),
        model: draftModel ?? ctx.model ?? 'local',
      }
      const reembedded = await reembedStaleGaps(ctx, org)
      const last = ctx.full || !ctx.since ? null : await lastGapRecluster(ctx.db, org)
      const due = !last || ctx.to.getTime() - last.getTime() >= reclusterEveryMs
      // Nothing new failed since the last run: nothing could have changed the gaps.
      const r = due
        ? await recluster(ctx, settings)
        : ((await assignNew(ctx, settings)) ?? { rowsIn: 0, rowsOut: 0 })
      return { rowsIn: r.rowsIn, rowsOut: r.rowsOut + reembedded }
    },
  })
}

export const knowledgeGaps = createKnowledgeGaps()

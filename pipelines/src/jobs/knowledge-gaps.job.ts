import {
  failedQuestions,
  gapsForMatching,
  gapsMadeByOtherEmbedder,
  getOrganization,
  hasFailedRepliesSince,
  insertGap,
  newId,
  questionsOfReplies,
  updateGap,
  type KnowledgeGap,
} from '@luneo/warehouse'
import { defineJob, type JobContext } from '../runner/job.js'
import { centroid, clusterByThreshold } from './clustering.js'
import { removeFiller } from './filler.js'
import { draftAnswer, gapTitle } from './gap-writing.js'
import {
  byCentrality,
  examplesOf,
  gapOptionsFor,
  gapScore,
  grownCentroid,
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

const stored = (g: KnowledgeGap): StoredGap => ({
  id: g.id,
  status: g.status,
  centroid: g.centroid,
  memberIds: g.member_ids,
  volume: g.volume,
  escalations: g.escalations,
  lastSeenAt: g.last_seen_at.getTime(),
  reviewedAt: g.reviewed_at?.getTime() ?? null,
  examples: g.examples,
})

interface NewGap {
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
        id: newId(),
        organization_id: org,
        label: c.label,
        score: gapScore(g, now, cost, o.halfLifeDays),
        volume: g.volume,
        escalations: g.escalations,
        last_seen_at: new Date(g.lastSeenAt),
        centroid: c.centroid,
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
      const centroid = grownCentroid(g, a.added)
      g.volume += a.added.length
      g.escalations += a.added.filter((m) => m.escalated).length
      g.lastSeenAt = Math.max(g.lastSeenAt, ...a.added.map((m) => m.repliedAt))
      g.centroid = centroid
      g.memberIds = [...g.memberIds, ...a.added.map((m) => m.replyId)]
      g.examples = examplesOf(g.examples, byCentrality(a.added, centroid), o.maxExamples)
      if (a.reopen) g.status = 'open'
      grown.add(g.id)
    }
    // Every open gap is re-ranked: recency decays even when nothing new came.
    for (const g of existing) {
      if (g.status !== 'open') continue
      const changed = grown.has(g.id)
      await updateGap(trx, org, g.id, {
        score: gapScore(g, now, cost, o.halfLifeDays),
        ...(changed
          ? {
              status: 'open' as const,
              volume: g.volume,
              escalations: g.escalations,
              last_seen_at: new Date(g.lastSeenAt),
              centroid: g.centroid,
              embedder: ctx.embedder.id,
              member_ids: g.memberIds,
              examples: g.examples,
            }
          : {}),
      })
      if (changed) rowsOut += 1
    }
  })
  return rowsOut
}

/**
 * Gaps whose centroid another embedder made (or one stored before the embedder was recorded) get
 * it again from their member questions in this embedder's space (their examples when the members
 * are gone), so nothing compares vectors of two spaces. Returns how many were re-embedded.
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
    await updateGap(ctx.db, org, g.id, { centroid: c, embedder: ctx.embedder.id })
  }
  if (stale.length) ctx.log?.(`[knowledge_gaps_v1] re-embedded ${stale.length} gaps with ${ctx.embedder.id}`)
  return stale.length
}

/** The failed questions of the window with their filler removed and embedded; pure filler is left out. */
async function loadFailedQuestions(ctx: JobContext, org: string): Promise<FailedQuestion[]> {
  const rows = await failedQuestions(ctx.ch, {
    organizationId: org,
    from: ctx.from,
    to: ctx.to,
    limit: MAX_QUESTIONS,
  })
  const kept = rows.map((r) => ({ r, text: removeFiller(r.question) })).filter((x) => x.text !== '')
  const vectors = kept.length ? await ctx.embedder.embed(kept.map((x) => x.text)) : []
  return kept.map(({ r, text }, i) => ({
    replyId: r.reply_id,
    text,
    repliedAt: r.at,
    escalated: r.escalated_after,
    vector: vectors[i]!,
  }))
}

async function costAssumptions(ctx: JobContext, org: string): Promise<CostAssumptions> {
  const o = await getOrganization(ctx.db, org)
  return { minutesPerConversation: o?.minutes_per_conversation ?? 6, hourlyCost: o?.hourly_cost ?? 30 }
}

/** Gap detection over the failed questions of the recent window (DESIGN §6 knowledge gap). */
export function createKnowledgeGaps(options: Partial<GapOptions> & { draftModel?: string } = {}) {
  const { draftModel, ...overrides } = options
  return defineJob({
    name: 'knowledge_gaps_v1',
    scope: 'organization',
    // A gap is a pattern over weeks, not minutes: each run re-clusters the last 30 days of failed
    // questions (capped at MAX_QUESTIONS) and matches the clusters to stored gaps, which keeps ids.
    lookbackMs: 30 * DAY,
    async run(ctx) {
      const org = ctx.organizationId!
      const o = gapOptionsFor(ctx.embedder.id, overrides)
      const reembedded = await reembedStaleGaps(ctx, org)
      // Re-clustering 30 days is the costliest step of a run: skip it when no reply failed since
      // the last run (nothing could have changed the clusters).
      if (ctx.since && !(await hasFailedRepliesSince(ctx.ch, { organizationId: org, since: ctx.since })))
        return { rowsIn: 0, rowsOut: reembedded }
      const questions = await loadFailedQuestions(ctx, org)
      const clusters = clusterByThreshold(
        questions.map((q) => q.vector),
        o.maxDistance,
      ).map((c) => c.map((i) => questions[i]!))
      const existing = (await gapsForMatching(ctx.db, org)).map(stored)
      const actions = planGaps(clusters, existing, o)
      const model = draftModel ?? ctx.model ?? 'local'
      // Titles and drafts before the transaction: they call the provider and the vector store.
      const creates: NewGap[] = []
      for (const a of actions) {
        if (a.kind !== 'create') continue
        const central = byCentrality(a.members, a.centroid)
        const examples = examplesOf([], central, o.maxExamples)
        const label = await gapTitle(ctx, model, examples)
        const draft = await draftAnswer(ctx, model, org, label, examples)
        creates.push({ members: central, centroid: a.centroid, examples, label, draft })
      }
      const cost = await costAssumptions(ctx, org)
      const rowsOut = await applyPlan(ctx, org, o, cost, { creates, actions, existing })
      return { rowsIn: questions.length, rowsOut: rowsOut + reembedded }
    },
  })
}

export const knowledgeGaps = createKnowledgeGaps()

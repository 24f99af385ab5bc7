import {
  failedQuestions,
  gapsForMatching,
  hasFailedRepliesSince,
  insertGap,
  newId,
  updateGap,
  type KnowledgeGap,
} from '@luneo/warehouse'
import { defineJob, type JobContext } from '../runner/job.js'
import { clusterByThreshold } from './clustering.js'
import {
  DRAFT_MARK,
  GAP_DEFAULTS,
  PLACEHOLDER_MARK,
  byCentrality,
  examplesOf,
  gapScore,
  grownCentroid,
  keywords,
  labelOf,
  planGaps,
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

/**
 * A first answer for a person to review: the provider composes from the nearest knowledge; with
 * nothing near, a placeholder that says so (accepting it needs a person's answer).
 */
async function draftAnswer(ctx: JobContext, model: string, org: string, label: string, examples: string[]) {
  const question = examples[0] ?? label
  const placeholder = `${PLACEHOLDER_MARK} No knowledge is close enough to these questions to draft from: write the answer customers need (e.g. to “${question}”) before accepting.`
  try {
    const near = ctx.searchKnowledge ? await ctx.searchKnowledge(org, question) : []
    const r = await ctx.provider.complete({
      model,
      system:
        'Draft a short knowledge-base answer to the customer questions below, using only the context. A person reviews it before it is published.',
      messages: [{ role: 'user', content: examples.join('\n') || question }],
      context: {
        chunks: near.map((c) => ({ text: c.text, score: c.score, title: c.title })),
        language: 'en',
      },
    })
    return r.grounded ? `${DRAFT_MARK}${r.text}` : placeholder
  } catch (err) {
    // A failed draft must not lose the gap: the placeholder asks a person, the log says why.
    ctx.log?.(`[knowledge_gaps_v1] drafting failed for “${question}”: ${String(err)}`)
    return placeholder
  }
}

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
  creates: NewGap[],
  actions: GapAction[],
  existing: StoredGap[],
): Promise<number> {
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
        score: gapScore(g, now, o.halfLifeDays),
        volume: g.volume,
        escalations: g.escalations,
        last_seen_at: new Date(g.lastSeenAt),
        centroid: c.centroid,
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
        score: gapScore(g, now, o.halfLifeDays),
        ...(changed
          ? {
              status: 'open' as const,
              volume: g.volume,
              escalations: g.escalations,
              last_seen_at: new Date(g.lastSeenAt),
              centroid: g.centroid,
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

/** Gap detection over the failed questions of the recent window (DESIGN §6 knowledge gap). */
export function createKnowledgeGaps(options: Partial<GapOptions> & { draftModel?: string } = {}) {
  const { draftModel, ...rest } = options
  const o: GapOptions = { ...GAP_DEFAULTS, ...rest }
  return defineJob({
    name: 'knowledge_gaps_v1',
    scope: 'organization',
    // A gap is a pattern over weeks, not minutes: each run re-clusters the last 30 days of failed
    // questions (capped at MAX_QUESTIONS) and matches the clusters to stored gaps, which keeps ids.
    lookbackMs: 30 * DAY,
    async run(ctx) {
      const org = ctx.organizationId!
      // Re-clustering 30 days is the costliest step of a run: skip it when no reply failed since
      // the last run (nothing could have changed the clusters).
      if (ctx.since && !(await hasFailedRepliesSince(ctx.ch, { organizationId: org, since: ctx.since })))
        return { rowsIn: 0, rowsOut: 0 }
      const rows = await failedQuestions(ctx.ch, {
        organizationId: org,
        from: ctx.from,
        to: ctx.to,
        limit: MAX_QUESTIONS,
      })
      const vectors = rows.length ? await ctx.embedder.embed(rows.map((r) => r.question)) : []
      const questions: FailedQuestion[] = rows.map((r, i) => ({
        replyId: r.reply_id,
        text: r.question,
        repliedAt: r.at,
        escalated: r.escalated_after,
        vector: vectors[i]!,
      }))
      const clusters = clusterByThreshold(vectors, o.maxDistance).map((c) => c.map((i) => questions[i]!))
      const existing = (await gapsForMatching(ctx.db, org)).map(stored)
      const actions = planGaps(clusters, existing, o)
      const allTexts = questions.map((q) => q.text)
      // Drafts before the transaction: they call the provider and the vector store.
      const creates: NewGap[] = []
      for (const a of actions) {
        if (a.kind !== 'create') continue
        const central = byCentrality(a.members, a.centroid)
        const examples = examplesOf([], central, o.maxExamples)
        const label = labelOf(
          keywords(
            central.map((m) => m.text),
            allTexts,
          ),
          central[0]!.text,
        )
        const draft = await draftAnswer(ctx, draftModel ?? ctx.model ?? 'local', org, label, examples)
        creates.push({ members: central, centroid: a.centroid, examples, label, draft })
      }
      const rowsOut = await applyPlan(ctx, org, o, creates, actions, existing)
      return { rowsIn: rows.length, rowsOut }
    },
  })
}

export const knowledgeGaps = createKnowledgeGaps()

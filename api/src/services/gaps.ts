import {
  findKnowledgeBaseByName,
  firstAgentKnowledgeBase,
  getGap,
  getOrganization,
  linkKnowledgeBaseToAllAgents,
  listRankedGaps,
  reviewGap,
  type GapStatus,
  type GapLiftRow,
  type KnowledgeGap,
} from '@luneo/warehouse'
import { DRAFT_MARK, PLACEHOLDER_MARK, escalationCost } from '@luneo/pipelines'
import type { z } from 'zod'
import type { Auth, Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { AppError, notFound } from '../errors.js'
import { iso, isoOrNull } from '../schemas/common.js'
import type { AcceptGap } from '../schemas/flywheel.js'
import { audit } from './audit.js'
import { liftOf, liftRows, wasAccepted } from './gap-lift.js'
import { gapConversations, type GapConversations } from './gap-conversations.js'
import { gapTrends, type TrendPoint } from './gap-trend.js'
import { addDocument, createKnowledgeBase } from './knowledge.js'

const GAPS_KB = 'Answers from gaps'

/** What a gap's escalations are priced with: the organization's ROI assumptions, read now (ADR 0009). */
interface Pricing {
  minutesPerConversation: number
  hourlyCost: number
  currency: string
}

async function pricingOf(deps: AppDeps, auth: Auth): Promise<Pricing> {
  const o = await getOrganization(deps.db, auth.organizationId)
  return {
    minutesPerConversation: o?.minutes_per_conversation ?? 6,
    hourlyCost: o?.hourly_cost ?? 30,
    currency: o?.currency ?? 'USD',
  }
}

const toGapDto = (
  g: KnowledgeGap,
  pricing: Pricing,
  lift: GapLiftRow | undefined,
  trend: TrendPoint[],
  behind: GapConversations,
) => ({
  id: g.id,
  status: g.status,
  label: g.label,
  score: g.score,
  volume: g.volume,
  escalations: g.escalations,
  escalationCost: escalationCost(g.escalations, pricing),
  currency: pricing.currency,
  lastSeenAt: iso(g.last_seen_at),
  trend,
  ...behind,
  examples: g.examples,
  draftedAnswer: g.drafted_answer,
  draftIsPlaceholder: (g.drafted_answer ?? PLACEHOLDER_MARK).startsWith(PLACEHOLDER_MARK),
  acceptedAnswer: g.accepted_answer,
  documentId: g.document_id,
  reviewedAt: isoOrNull(g.reviewed_at),
  lift: wasAccepted(g) ? liftOf(g, lift) : null,
  createdAt: iso(g.created_at),
  updatedAt: iso(g.updated_at),
})

const actorId = (auth: Auth) => (auth.actor.type === 'user' ? auth.actor.userId : null)

/** The caller's gap, or the 404 another organization's gap id gets too. */
export async function requireGap(deps: AppDeps, auth: Auth, id: string): Promise<KnowledgeGap> {
  const gap = await getGap(deps.db, auth.organizationId, id)
  if (!gap) throw notFound('Knowledge gap')
  return gap
}

/** Ranked gaps of a status (score desc). */
export async function listGaps(
  deps: AppDeps,
  auth: Auth,
  q: { status: GapStatus; limit: number; cursor?: string | undefined },
) {
  const page = await listRankedGaps(deps.db, auth.organizationId, q.status, q)
  const [pricing, lifts, trends, behind] = await Promise.all([
    pricingOf(deps, auth),
    liftRows(deps, auth, page.items),
    gapTrends(deps, auth, page.items),
    gapConversations(deps, auth, page.items),
  ])
  return {
    items: page.items.map((g) => toGapDto(g, pricing, lifts.get(g.id), trends.get(g.id)!, behind.get(g.id)!)),
    nextCursor: page.nextCursor,
  }
}

export async function readGap(deps: AppDeps, auth: Auth, id: string) {
  const gap = await requireGap(deps, auth, id)
  const [pricing, lifts, trends, behind] = await Promise.all([
    pricingOf(deps, auth),
    liftRows(deps, auth, [gap]),
    gapTrends(deps, auth, [gap]),
    gapConversations(deps, auth, [gap]),
  ])
  return toGapDto(gap, pricing, lifts.get(gap.id), trends.get(gap.id)!, behind.get(gap.id)!)
}

/** Before vs after acceptance: answered and resolved rates of the questions that fall in the gap. */
export async function readGapLift(deps: AppDeps, auth: Auth, id: string) {
  const gap = await requireGap(deps, auth, id)
  const lifts = await liftRows(deps, auth, [gap])
  return liftOf(gap, lifts.get(gap.id))
}

/** The default home of accepted answers: the first KB an agent answers from, else "Answers from gaps". */
async function defaultKnowledgeBase(deps: AppDeps, caller: Caller): Promise<string> {
  const { auth } = caller
  const linked = await firstAgentKnowledgeBase(deps.db, auth.organizationId)
  if (linked) return linked
  const existing = await findKnowledgeBaseByName(deps.db, auth.organizationId, GAPS_KB)
  const kb =
    existing ??
    (
      await createKnowledgeBase(deps, caller, {
        name: GAPS_KB,
        description: 'Accepted knowledge-gap answers',
      })
    ).id
  // No agent answered from any KB: link this one, or the accepted answers would change nothing.
  await linkKnowledgeBaseToAllAgents(deps.db, auth.organizationId, kb)
  return kb
}

/** The answer to publish: the person's, else the draft (never a placeholder). */
function answerOf(gap: KnowledgeGap, answer: string | undefined): string {
  if (answer) return answer
  const draft = gap.drafted_answer
  if (!draft || draft.startsWith(PLACEHOLDER_MARK))
    throw new AppError('validation_failed', 'The draft is a placeholder: send the answer', [
      { path: 'body.answer', message: 'required: nothing near in the knowledge base to draft from' },
    ])
  return draft.startsWith(DRAFT_MARK) ? draft.slice(DRAFT_MARK.length) : draft
}

/**
 * Accepts a gap: its answer (edited or drafted) becomes a knowledge document, indexed in Chroma,
 * with the gap's example questions as its FAQ phrasings (how customers phrase it).
 * The document is written first; if the gap was reviewed meanwhile, the conflict is reported
 * and the document stays (a person can delete it).
 */
export async function acceptGap(deps: AppDeps, caller: Caller, id: string, body: z.infer<typeof AcceptGap>) {
  const { auth } = caller
  const gap = await requireGap(deps, auth, id)
  if (gap.status !== 'open') throw new AppError('conflict', `The gap is already ${gap.status}`)
  const answer = answerOf(gap, body.answer)
  const kbId = body.knowledgeBaseId ?? (await defaultKnowledgeBase(deps, caller))
  const title = body.title ?? gap.label.slice(0, 300)
  // The examples are the document's FAQ phrasings, not part of its text: retrieval matches the
  // next such question on them, and an extractive reply never reads the list back to a customer.
  const doc = await addDocument(
    deps,
    caller,
    kbId,
    { title, text: answer, questions: gap.examples },
    'knowledge_gap',
  )
  await deps.db.transaction().execute(async (trx) => {
    const reviewed = await reviewGap(trx, auth.organizationId, id, {
      status: 'accepted',
      reviewed_by: actorId(auth),
      accepted_answer: answer,
      document_id: doc.id,
    })
    if (!reviewed) throw new AppError('conflict', 'The gap was reviewed meanwhile')
    const details = { documentId: doc.id, knowledgeBaseId: kbId, edited: body.answer !== undefined }
    await audit(trx, caller, 'knowledge_gap.accepted', { type: 'knowledge_gap', id }, details)
  })
  return readGap(deps, auth, id)
}

/** Rejects a gap: suppressed, its questions raise no new gap. */
export async function rejectGap(deps: AppDeps, caller: Caller, id: string) {
  const { auth } = caller
  const gap = await requireGap(deps, auth, id)
  if (gap.status !== 'open') throw new AppError('conflict', `The gap is already ${gap.status}`)
  await deps.db.transaction().execute(async (trx) => {
    const reviewed = await reviewGap(trx, auth.organizationId, id, {
      status: 'rejected',
      reviewed_by: actorId(auth),
    })
    if (!reviewed) throw new AppError('conflict', 'The gap was reviewed meanwhile')
    await audit(trx, caller, 'knowledge_gap.rejected', { type: 'knowledge_gap', id })
  })
  return readGap(deps, auth, id)
}

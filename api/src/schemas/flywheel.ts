import { z } from 'zod'
import { Id, Timestamp, pageOf } from './common.js'

// Knowledge gaps, experiment results and vertical benchmarks (the flywheel's analytics).

export const GapStatus = z.enum(['open', 'accepted', 'rejected'])

export const GapQuery = z
  .object({
    status: GapStatus.default('open'),
    limit: z.coerce.number().int().min(1).max(200).default(20),
    cursor: Id.optional(),
  })
  .strict()

const LiftWindow = z
  .object({
    from: Timestamp,
    to: Timestamp,
    /** Customer questions that fell in the gap (cosine with its centroid ≥ the match similarity). */
    questions: z.number().int(),
    /** Of those, answered (the reply was grounded). */
    answered: z.number().int(),
    /** answered ÷ questions; null without questions. */
    answeredRate: z.number().nullable(),
    /** Closed conversations those questions were asked in (each counted once). */
    closedConversations: z.number().int(),
    /** Of those, resolved by the AI (confirmed or assumed). */
    resolvedConversations: z.number().int(),
    /** resolvedConversations ÷ closedConversations; null without closed conversations. */
    resolvedRate: z.number().nullable(),
  })
  .meta({ id: 'KnowledgeGapLiftWindow' })

export const KnowledgeGapLift = z
  .object({
    gapId: Id,
    /** When the gap was accepted; null when it never was (nothing to compare yet). */
    acceptedAt: Timestamp.nullable(),
    /** When the pipelines last computed this; null until their first run after the acceptance. */
    computedAt: Timestamp.nullable(),
    /** The 30 days before acceptance. */
    before: LiftWindow.nullable(),
    /** From acceptance to `computedAt`'s window end. */
    after: LiftWindow.nullable(),
    /** after.answeredRate − before.answeredRate; null while either is null. */
    answeredRateChange: z.number().nullable(),
    /** after.resolvedRate − before.resolvedRate; null while either is null. */
    resolvedRateChange: z.number().nullable(),
  })
  .meta({ id: 'KnowledgeGapLift' })

export const KnowledgeGap = z
  .object({
    id: Id,
    status: GapStatus,
    /** A readable title: the configured model's, else the most central question (never keywords). */
    label: z.string(),
    /** volume × recency (half-life 7 days) × (1 + escalationCost); higher first. */
    score: z.number(),
    volume: z.number().int(),
    escalations: z.number().int(),
    /** escalations × minutes per conversation ÷ 60 × hourly cost (the organization's ROI assumptions). */
    escalationCost: z.number(),
    /** The currency of escalationCost (the organization's). */
    currency: z.string(),
    lastSeenAt: Timestamp,
    /** Questions per UTC day over the last 14 days, today last (zero days included): the sparkline. */
    trend: z.array(z.object({ day: z.iso.date(), questions: z.number().int() })),
    /** Distinct conversations its questions were asked in: the report filtered by `gapId` lists them. */
    conversations: z.number().int(),
    /** When the first of those conversations started; null when none is in the outcome mart yet. */
    firstConversationAt: Timestamp.nullable(),
    examples: z.array(z.string()),
    draftedAnswer: z.string().nullable(),
    /** True when nothing near in the knowledge base: a person must write the answer. */
    draftIsPlaceholder: z.boolean(),
    acceptedAnswer: z.string().nullable(),
    documentId: Id.nullable(),
    reviewedAt: Timestamp.nullable(),
    /** Before vs after acceptance; null for a gap never accepted. */
    lift: KnowledgeGapLift.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'KnowledgeGap' })

export const KnowledgeGapPage = pageOf(KnowledgeGap).meta({ id: 'KnowledgeGapPage' })

export const AcceptGap = z
  .object({
    /** The answer to publish; defaults to the drafted one (refused when that is a placeholder). */
    answer: z.string().trim().min(1).max(20_000).optional(),
    title: z.string().trim().min(1).max(300).optional(),
    /** Defaults to the first knowledge base linked to an agent, else a new "Answers from gaps". */
    knowledgeBaseId: Id.optional(),
  })
  .strict()
  .meta({ id: 'AcceptKnowledgeGap' })

const Posterior = z.object({
  alpha: z.number(),
  beta: z.number(),
  mean: z.number(),
  n: z.number().int(),
  pBest: z.number().nullable(),
})

/** The stop rule as it reads now (docs/metrics.md § Variant scoring): what a decision waits on. */
const ExperimentDecision = z
  .object({
    minSamplePerVariant: z.number().int(),
    /** Every variant has the minimum closed conversations (before that, weights do not move). */
    sampleReached: z.boolean(),
    /** The unguarded variant with the highest posterior mean (null with fewer than two variants). */
    leaderVariantId: Id.nullable(),
    /** The leader's smallest Bayes factor against any other variant (capped at 1e12). */
    evidence: z.number(),
    /** The Bayes factor the leader must reach against every other variant to win. */
    bar: z.number(),
    evidenceReached: z.boolean(),
    /** Completed (a winner) or stopped by a person: traffic no longer moves. */
    ended: z.boolean(),
    /** The reason of the pipelines' last weight change (null before the first). */
    lastReason: z.string().nullable(),
  })
  .meta({ id: 'ExperimentDecision' })

export const ExperimentResults = z
  .object({
    id: Id,
    name: z.string(),
    status: z.enum(['running', 'stopped', 'completed']),
    winnerVariantId: Id.nullable(),
    variants: z.array(
      z.object({
        id: Id,
        label: z.string(),
        promptVersionId: Id,
        posterior: Posterior,
        resolved: z.number().int(),
        csat: z.number().nullable(),
        escalationRate: z.number().nullable(),
        weight: z.number().nullable(),
        guard: z.string().nullable(),
        /** This variant's traffic weight after each change the pipelines recorded, oldest first. */
        weightHistory: z.array(z.object({ at: Timestamp, weight: z.number().nullable() })),
      }),
    ),
    decision: ExperimentDecision,
    history: z.array(
      z.object({
        at: Timestamp,
        weights: z.record(z.string(), z.number()),
        reason: z.string(),
      }),
    ),
  })
  .meta({ id: 'ExperimentResults' })

const BenchmarkRow = z.object({
  metric: z.string(),
  own: z.number().nullable(),
  p25: z.number().nullable(),
  median: z.number().nullable(),
  p75: z.number().nullable(),
  organizations: z.number().int(),
  published: z.boolean(),
})

export const Benchmarks = z
  .union([
    z.object({
      published: z.literal(true),
      vertical: z.string(),
      period: z.object({ from: Timestamp, to: Timestamp }),
      organizations: z.number().int(),
      metrics: z.array(BenchmarkRow),
      topIntents: z.array(BenchmarkRow),
    }),
    z.object({ published: z.literal(false), vertical: z.string(), reason: z.string() }),
  ])
  .meta({ id: 'Benchmarks' })

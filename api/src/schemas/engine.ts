import { z } from 'zod'
import { ReplyStyle as ReplyStyleShape } from '@luneo/models'
import { CHANNELS } from '@luneo/warehouse'
import { Email, Id, Timestamp, pageOf } from './common.js'
import { ContactIn } from './resources.js'

export const NewMessage = z
  .object({
    text: z.string().max(4000).trim().min(1, 'say something'),
    channel: z.enum(CHANNELS).optional(),
    contact: ContactIn.optional(),
  })
  .strict()
  .meta({ id: 'NewMessage' })

export const Reply = z
  .object({
    conversationId: Id,
    messageId: Id,
    replyId: Id,
    reply: z.string(),
    intent: z.string(),
    confidence: z.number().min(0).max(1),
    grounded: z.boolean(),
    sources: z.array(z.object({ documentId: Id, knowledgeBaseId: Id, title: z.string(), score: z.number() })),
    actions: z.array(
      z.object({
        name: z.string(),
        ok: z.boolean(),
        needsInput: z.boolean(),
        data: z.record(z.string(), z.unknown()),
      }),
    ),
    escalated: z.boolean(),
    escalationReason: z.enum(['asked', 'low_confidence', 'sentiment', 'safety', 'action_failure']).nullable(),
    variantId: Id.nullable(),
    usage: z.object({
      tokens: z.number().int(),
      promptTokens: z.number().int(),
      completionTokens: z.number().int(),
      costUsd: z.number(),
      model: z.string(),
      provider: z.string(),
    }),
  })
  .meta({ id: 'Reply' })

export const Chunks = z
  .object({
    items: z.array(z.object({ id: Id, ordinal: z.number().int(), text: z.string() })),
    indexedAt: Timestamp.nullable(),
  })
  .meta({ id: 'DocumentChunks' })

const TemplateText = z.string().min(20).max(20_000)
/** How replies read (length, greeting, tone, sources, next step): the local provider honours it. */
export const ReplyStyle = ReplyStyleShape.meta({ id: 'ReplyStyle' })
export const PromptVersion = z
  .object({
    id: Id,
    name: z.string(),
    version: z.number().int(),
    template: z.string(),
    style: ReplyStyle.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'PromptVersion' })
export const PromptVersionPage = pageOf(PromptVersion).meta({ id: 'PromptVersionPage' })
export const NewPromptVersion = z
  .object({ name: z.string().max(100).trim().min(1), template: TemplateText, style: ReplyStyle.optional() })
  .strict()
  .meta({ id: 'NewPromptVersion' })

export const Variant = z
  .object({
    id: Id,
    label: z.string(),
    promptVersionId: Id,
    weight: z.number().nullable(),
    weightReason: z.string().nullable(),
  })
  .meta({ id: 'Variant' })
export const Experiment = z
  .object({
    id: Id,
    agentId: Id,
    name: z.string(),
    status: z.enum(['running', 'stopped', 'completed']),
    winnerVariantId: Id.nullable(),
    variants: z.array(Variant),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Experiment' })
export const ExperimentPage = pageOf(Experiment).meta({ id: 'ExperimentPage' })
export const NewExperiment = z
  .object({
    agentId: Id,
    name: z.string().max(120).trim().min(1),
    variants: z
      .array(z.object({ promptVersionId: Id, label: z.string().max(40).trim().min(1) }).strict())
      .min(2)
      .max(6),
  })
  .strict()
  .meta({ id: 'NewExperiment' })

export const IntentCorrection = z
  .object({ text: z.string().max(1000).trim().min(1), intent: z.string().max(60) })
  .strict()
  .meta({ id: 'NewIntentCorrection' })
export const IntentCorrectionDto = IntentCorrection.extend({ id: Id }).meta({ id: 'IntentCorrection' })

export const Task = z
  .object({
    id: Id,
    conversationId: Id.nullable(),
    kind: z.string(),
    details: z.record(z.string(), z.unknown()),
    status: z.string(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Task' })
export const TaskPage = pageOf(Task).meta({ id: 'TaskPage' })

export const WebhookSettings = z
  .object({
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .nullable(),
  })
  .strict()
  .meta({ id: 'WebhookSettings' })
export const Webhook = z.object({ url: z.string().nullable() }).meta({ id: 'Webhook' })
/** After a PUT: the new signing secret, shown this once (null when the URL is cleared). */
export const WebhookSettingsOut = z
  .object({
    url: z.string().nullable(),
    secret: z.string().nullable().optional(),
  })
  .meta({ id: 'WebhookWithSecret' })

export const EmailInbound = z
  .object({
    agentId: Id,
    from: Email,
    fromName: z.string().max(120).optional(),
    subject: z.string().max(500).optional(),
    text: z.string().max(50_000).min(1),
    messageId: z.string().max(500).optional(),
  })
  .strict()
  .meta({ id: 'InboundEmail' })

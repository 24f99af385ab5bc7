import { z } from 'zod'
import { ERASURE_STEPS, RETENTION_LIMITS } from '@luneo/warehouse'
import { Email, Id, Timestamp } from './common.js'

const days = (l: { min: number; max: number }) => z.number().int().min(l.min).max(l.max)

export const RetentionPolicy = z
  .object({
    conversationDays: days(RETENTION_LIMITS.conversationDays).meta({
      description:
        'Days a conversation is kept after its last message: its messages, feedback, outcomes, tasks, webhook deliveries and events (Postgres and ClickHouse); contacts left without a conversation and open knowledge gaps not seen since go too.',
    }),
    analyticsDays: days(RETENTION_LIMITS.analyticsDays).meta({
      description:
        'Days analytics aggregates without customer text are kept (reply facts, outcomes, feedback ratings, per-conversation outcomes, benchmarks inputs).',
    }),
  })
  .strict()
  .meta({ id: 'RetentionPolicy' })

const Limit = z.object({ min: z.number().int(), max: z.number().int(), default: z.number().int() })

export const RetentionSettings = RetentionPolicy.extend({
  limits: z.object({ conversationDays: Limit, analyticsDays: Limit }),
  /** Fixed by the platform, not per organization. */
  platform: z.object({
    outboxKeepHours: z.number().int(),
    eventStreamDays: z.number(),
    deadLetterDays: z.number().int(),
  }),
}).meta({ id: 'RetentionSettings' })

export const ErasureRequest = z
  .object({
    id: Id,
    contactId: Id,
    status: z.enum(['pending', 'running', 'done']),
    steps: z.array(z.object({ step: z.enum(ERASURE_STEPS), done: z.boolean() })),
    progress: z.number().min(0).max(1),
    counts: z
      .record(z.string(), z.number())
      .meta({ description: 'Rows removed, by kind; never what they held' }),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: Timestamp,
    completedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ErasureRequest' })

export const ErasureByEmail = z
  .object({ email: Email.meta({ description: 'The contact’s email, any case' }) })
  .strict()
  .meta({ id: 'ErasureByEmail' })

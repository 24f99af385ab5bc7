import { z } from 'zod'
import { Id, Timestamp, pageOf } from '../schemas/common.js'

/**
 * A browser origin: scheme, host and optional port. A trailing "/" is forgiven (people paste
 * URLs); a path, query or fragment is refused, because browsers never send one in `Origin`.
 */
export const Origin = z
  .string()
  .max(300)
  .refine((s) => {
    try {
      const u = new URL(s)
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.pathname === '/' && !u.search && !u.hash
    } catch {
      return false
    }
  }, 'an origin such as https://shop.example.com (no path)')
  .refine((s) => !s.includes('@'), 'an origin has no user or password')
  .transform((s) => new URL(s).origin)

/** USD per UTC day a key's turns may cost; null = no cap. */
const SpendCap = z.number().nonnegative().max(100_000).nullable()

export const NewWidgetKey = z
  .object({
    agentId: Id,
    allowedOrigins: z.array(Origin).min(1).max(20),
    /** Defaults to 10 USD a day: a public key is a way to spend the organization's LLM money. */
    dailySpendCapUsd: SpendCap.optional(),
  })
  .strict()
  .meta({ id: 'NewWidgetKey' })

export const WidgetKeyPatch = z.object({ dailySpendCapUsd: SpendCap }).strict().meta({ id: 'WidgetKeyPatch' })

export const WidgetKeyDto = z
  .object({
    id: Id,
    agentId: Id,
    publicKey: z.string(),
    allowedOrigins: z.array(z.string()),
    dailySpendCapUsd: z.number().nullable(),
    /** What the key's turns cost today (UTC), in USD. */
    spentTodayUsd: z.number(),
    createdAt: Timestamp,
  })
  .meta({ id: 'WidgetKey' })

export const WidgetKeyPage = pageOf(WidgetKeyDto).meta({ id: 'WidgetKeyPage' })

/** Opening a widget conversation takes no fields; the key and Origin say whose it is. */
export const NewWidgetConversation = z.object({}).strict().optional().meta({ id: 'NewWidgetConversation' })

export const WidgetConversation = z
  .object({
    conversationId: Id,
    /** Proves the visitor opened this conversation; send it as `x-luneo-widget-token`. */
    token: z.string(),
  })
  .meta({ id: 'WidgetConversation' })

export const WidgetMessage = z
  .object({ text: z.string().max(4000).trim().min(1, 'say something') })
  .strict()
  .meta({ id: 'NewWidgetMessage' })

/** What a visitor sees of a turn: the answer, not the tenant's costs, intents or experiments. */
export const WidgetReply = z
  .object({
    conversationId: Id,
    replyId: Id,
    reply: z.string(),
    grounded: z.boolean(),
    escalated: z.boolean(),
    sources: z.array(z.object({ title: z.string() })),
  })
  .meta({ id: 'WidgetReply' })

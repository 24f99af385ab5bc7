import { z } from 'zod'
import { insertOutcome, insertTask, newId, upsertContact, type Db } from '@luneo/warehouse'
import type { RetrievedChunk } from '../knowledge/knowledge-index.js'

/** What an action may touch: the tenant's own rows, inside the turn's transaction. */
export interface ActionScope {
  trx: Db
  organizationId: string
  conversationId: string
  contactId: string | null
  currency: string
  /** Knowledge search over the agent's knowledge bases (already scoped to the organization). */
  search: (query: string) => Promise<RetrievedChunk[]>
}

export interface ActionResult {
  ok: boolean
  /** One sentence the reply appends, e.g. "I've asked our team to check order 1234." */
  say: string
  /** Structured result for the event and the API caller. */
  data: Record<string, unknown>
  /** Rows this action created, e.g. a lead outcome (the engine emits their events). */
  outcome?: { id: string; type: 'lead'; amount: number | null; currency: string | null }
  contactId?: string
}

interface ActionDef<I extends z.ZodType> {
  input: I
  /** Pulls the input from the customer's words; null when something required is missing. */
  extract: (text: string) => z.input<I> | null
  /** Asked when extract finds nothing. */
  ask: string
  run: (scope: ActionScope, input: z.output<I>) => Promise<ActionResult>
}

const define = <I extends z.ZodType>(d: ActionDef<I>) => d

const ORDER = /(?:order|commande|pedido|bestellung)?\s*(?:#|no\.?|number|n°)?\s*([A-Z0-9]{0,3}-?\d{4,10})\b/i
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/
const PHONE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){2,4}/
const MONEY =
  /(?:[$€£]\s?(\d[\d,.]*)\s?(k|m)?)|(?:(\d[\d,.]*)\s?(k|m)?\s?(?:\$|€|£|usd|eur|gbp|dollars|euros))/i
const WHEN =
  /\b(today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next week|this week|morning|afternoon|evening|\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{1,2}\/\d{1,2})\b/gi

function money(text: string): number | null {
  const m = MONEY.exec(text)
  if (!m) return null
  const n = Number((m[1] ?? m[3] ?? '').replace(/,/g, ''))
  const mult = /k/i.test(m[2] ?? m[4] ?? '') ? 1_000 : /m/i.test(m[2] ?? m[4] ?? '') ? 1_000_000 : 1
  return Number.isFinite(n) ? n * mult : null
}

const when = (text: string) => (text.match(WHEN) ?? []).join(' ') || undefined

async function task(scope: ActionScope, kind: string, details: Record<string, unknown>) {
  const t = await insertTask(scope.trx, {
    id: newId(),
    organization_id: scope.organizationId,
    conversation_id: scope.conversationId,
    kind,
    details,
  })
  return t.id
}

/** Typed actions with zod input schemas. A vertical template lists which ones its agents may run. */
export const actionRegistry = {
  order_status: define({
    input: z.object({ orderNumber: z.string().min(4).max(20) }),
    extract: (text) => {
      const m = ORDER.exec(text)
      return m?.[1] && /\d{4}/.test(m[1]) ? { orderNumber: m[1].toUpperCase() } : null
    },
    ask: 'Could you share your order number so I can check it?',
    run: async (scope, input) => {
      const taskId = await task(scope, 'order_lookup', input)
      return {
        ok: true,
        say: `I've asked our team to check order ${input.orderNumber}; you'll get an update here.`,
        data: { ...input, taskId },
      }
    },
  }),
  product_search: define({
    input: z.object({ query: z.string().min(2).max(200) }),
    extract: (text) => ({ query: text.slice(0, 200) }),
    ask: 'What product are you looking for?',
    run: async (scope, input) => {
      const hits = (await scope.search(input.query)).filter((h) => h.score >= 0.2).slice(0, 3)
      const titles = [...new Set(hits.map((h) => h.title).filter(Boolean))]
      return {
        ok: true,
        say: titles.length ? `You might like: ${titles.join(', ')}.` : '',
        data: { query: input.query, matches: titles },
      }
    },
  }),
  capture_lead: define({
    input: z.object({
      email: z.string().optional(),
      phone: z.string().optional(),
      estimatedValue: z.number().nonnegative().nullable(),
    }),
    extract: (text) => {
      const email = EMAIL.exec(text)?.[0]
      const phone = PHONE.exec(text.replace(EMAIL, ''))?.[0]
      return { email, phone, estimatedValue: money(text) }
    },
    ask: 'What is the best email or phone number to reach you?',
    run: async (scope, input) => {
      let contactId = scope.contactId
      if (input.email || input.phone) {
        const c = await upsertContact(scope.trx, scope.organizationId, newId(), {
          email: input.email,
          phone: input.phone?.replace(/[^\d+]/g, ''),
        })
        contactId = c.id
      }
      const outcome = await insertOutcome(scope.trx, {
        id: newId(),
        organization_id: scope.organizationId,
        conversation_id: scope.conversationId,
        type: 'lead',
        amount: input.estimatedValue,
        currency: input.estimatedValue === null ? null : scope.currency,
      })
      const hasReach = Boolean(input.email || input.phone || scope.contactId)
      return {
        ok: true,
        say: hasReach
          ? 'Thanks — a specialist will get back to you shortly.'
          : 'What is the best email or phone number to reach you?',
        data: { qualified: hasReach, estimatedValue: input.estimatedValue },
        outcome: { id: outcome.id, type: 'lead', amount: outcome.amount, currency: outcome.currency },
        ...(contactId ? { contactId } : {}),
      }
    },
  }),
  book_viewing: define({
    input: z.object({ preferredTime: z.string().optional(), reference: z.string().optional() }),
    extract: (text) => ({
      preferredTime: when(text),
      reference: /\b(?:ref(?:erence)?|listing|property)\s*#?\s*([A-Z0-9-]{3,12})\b/i.exec(text)?.[1],
    }),
    ask: 'Which property and when would suit you?',
    run: async (scope, input) => {
      const taskId = await task(scope, 'viewing', input)
      return {
        ok: true,
        say: `I've requested a viewing${input.preferredTime ? ` (${input.preferredTime})` : ''}; an agent will confirm the slot.`,
        data: { ...input, taskId },
      }
    },
  }),
  schedule_call: define({
    input: z.object({ preferredTime: z.string().optional() }),
    extract: (text) => ({ preferredTime: when(text) }),
    ask: 'When would be a good time for a call?',
    run: async (scope, input) => {
      const taskId = await task(scope, 'call', input)
      return {
        ok: true,
        say: `I've scheduled a call request${input.preferredTime ? ` for ${input.preferredTime}` : ''}; we'll confirm by message.`,
        data: { ...input, taskId },
      }
    },
  }),
  document_checklist: define({
    input: z.object({ topic: z.string().max(200) }),
    extract: (text) => ({ topic: text.slice(0, 200) }),
    ask: 'Which service do you need the checklist for?',
    run: async (scope, input) => {
      const hits = (await scope.search(`documents checklist ${input.topic}`)).slice(0, 2)
      return {
        ok: true,
        say: hits[0] ? '' : 'I will send you our document checklist by message.',
        data: { topic: input.topic, sources: hits.map((h) => h.title) },
      }
    },
  }),
  handoff: define({
    input: z.object({}),
    extract: () => ({}),
    ask: '',
    run: async () => ({ ok: true, say: '', data: { requested: true } }),
  }),
} as const

export type ActionName = keyof typeof actionRegistry
export const isActionName = (name: string): name is ActionName => name in actionRegistry

export interface ActionRun {
  name: ActionName
  input: Record<string, unknown> | null
  result: ActionResult
}

/**
 * Runs an action with the tenant's scope: validate the extracted input with the action's zod
 * schema; when something required is missing, ask for it instead of guessing.
 */
export async function runAction(name: ActionName, text: string, scope: ActionScope): Promise<ActionRun> {
  const def = actionRegistry[name] as ActionDef<z.ZodType>
  const extracted = def.extract(text)
  const parsed = extracted === null ? null : def.input.safeParse(extracted)
  if (!parsed?.success)
    return { name, input: null, result: { ok: true, say: def.ask, data: { needsInput: true } } }
  try {
    return { name, input: parsed.data as Record<string, unknown>, result: await def.run(scope, parsed.data) }
  } catch (err) {
    return {
      name,
      input: parsed.data as Record<string, unknown>,
      result: { ok: false, say: '', data: { error: err instanceof Error ? err.message : 'failed' } },
    }
  }
}

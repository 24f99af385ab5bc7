import {
  buildSystemPrompt,
  costUsd,
  findPrice,
  isAbstention,
  parseReplyStyle,
  redactPii,
  type LlmProvider,
  type PriceTable,
  type ReplyStyle,
  type Usage,
} from '@luneo/models'
import { getPromptVersion, organizationPrivacy, runningVariants, type Db } from '@luneo/warehouse'
import type { RetrievedChunk } from '../../knowledge/knowledge-index.js'
import { chooseVariant, type ChosenVariant } from '../variants.js'
import type { Classified } from './classify.js'
import type { Loaded } from './load.js'
import type { Retrieved } from './retrieve.js'

const HANDED_OFF_REPLY = 'A member of our team has this conversation and will reply here shortly.'
const SAFETY_REPLY = "I can't help with that here. I'm passing this conversation to a member of our team."

export interface ComposeDeps {
  db: Db
  provider: LlmProvider
  prices: PriceTable
  /** Model used when the agent names none (`local` for the local provider). */
  defaultModel: string
  /** Below this best retrieval score a reply counts as not grounded. */
  minGroundingScore: number
  random: () => number
}

/** Why the model is not asked: the conversation is a person's now, or the screen stopped it. */
export type Silenced = 'handed_off' | 'safety' | null

export interface Composed {
  text: string
  grounded: boolean
  /** The model said it does not know (or only referred the customer elsewhere): not grounded. */
  abstained: boolean
  variant: ChosenVariant | null
  usage: Usage
  provider: string
  model: string
  fallback: boolean
  costUsd: number
}

/**
 * Step 5, compose: the prompt variant from the tuning state, the system prompt, and the model's
 * answer grounded in the retrieved chunks. A silenced turn gets a fixed line and costs nothing.
 */
export async function compose(
  deps: ComposeDeps,
  organizationId: string,
  turn: Loaded,
  intent: Classified,
  found: Retrieved,
  redactedText: string,
  silenced: Silenced,
): Promise<Composed> {
  const variant = chooseVariant(await runningVariants(deps.db, organizationId, turn.agent.id), deps.random)
  const model = typeof turn.agent.settings.model === 'string' ? turn.agent.settings.model : deps.defaultModel
  const none = { promptTokens: 0, completionTokens: 0 }
  if (silenced) {
    const text = silenced === 'handed_off' ? HANDED_OFF_REPLY : SAFETY_REPLY
    return {
      text,
      grounded: false,
      abstained: false,
      variant,
      usage: none,
      provider: 'none',
      model,
      fallback: false,
      costUsd: 0,
    }
  }
  const remote = deps.provider.id !== 'local'
  const { system, style } = await systemPrompt(
    deps.db,
    organizationId,
    turn,
    variant,
    intent.intent,
    found,
    remote,
  )
  const completion = await deps.provider.complete({
    model,
    system,
    messages: [
      ...found.history.map((m) => ({
        role: m.role === 'customer' ? ('user' as const) : ('assistant' as const),
        content: redactPii(m.text).text,
      })),
      { role: 'user' as const, content: redactedText },
    ],
    context: {
      chunks: found.chunks.map((c) => ({ text: c.text, score: c.score, title: c.title })),
      tone: turn.template.tone,
      intent: intent.intent,
      language: typeof turn.agent.settings.language === 'string' ? turn.agent.settings.language : 'en',
      ...(style ? { style } : {}),
      ...(found.questionVector ? { questionVector: found.questionVector } : {}),
    },
  })
  const abstained = abstains(completion.text, turn)
  return {
    text: completion.text,
    grounded: completion.grounded && topScore(found.chunks) >= deps.minGroundingScore && !abstained,
    abstained,
    variant,
    usage: completion.usage,
    provider: completion.provider,
    model: completion.model,
    fallback: completion.fallbackFrom !== undefined,
    costUsd: turnCost(completion, model, deps.prices),
  }
}

const topScore = (chunks: RetrievedChunk[]) => chunks[0]?.score ?? 0

/** A reply that says it does not know answered nothing, however well retrieval scored (ADR 0017). */
function abstains(text: string, turn: Loaded): boolean {
  return isAbstention(text, { greeting: turn.template.tone.greeting })
}

/**
 * The local provider (also when it answers as a fallback) costs nothing. A remote answer is priced
 * by the model that answered (a dated snapshot of the one asked for) or else by the one asked
 * for, which configuration already proved priced (config.ts, agent settings): never a silent 0.
 */
export function turnCost(
  completion: { provider: string; model: string; usage: Usage },
  asked: string,
  prices: PriceTable,
): number {
  if (completion.provider === 'local') return 0
  const priced = isPriced(completion.model, prices) ? completion.model : asked
  return costUsd(priced, completion.usage, prices)
}

function isPriced(model: string, prices: PriceTable): boolean {
  try {
    findPrice(model, prices)
    return true
  } catch {
    return false
  }
}

/** The variant's (else the agent's) prompt and reply style, rendered for this turn. */
async function systemPrompt(
  db: Db,
  organizationId: string,
  turn: Loaded,
  variant: ChosenVariant | null,
  intent: string,
  found: Retrieved,
  remote: boolean,
): Promise<{ system: string; style: ReplyStyle | undefined }> {
  let text: string | undefined = variant?.template
  let style = variant?.style
  if (!text && turn.agent.prompt_version_id) {
    const version = await getPromptVersion(db, organizationId, turn.agent.prompt_version_id)
    text = version?.template
    style = parseReplyStyle(version?.style)
  }
  const system = buildSystemPrompt({
    template: text,
    style,
    tone: turn.template.tone,
    intent,
    // A remote model reads the name only where the organization allows it (PII stays in Postgres).
    contactName:
      remote && !organizationPrivacy(turn.org).namesToRemoteModels
        ? undefined
        : (found.contact?.name ?? undefined),
    memory: turn.memory.summary ? [turn.memory.summary] : [],
    businessName: turn.org.name,
  })
  return { system, style }
}

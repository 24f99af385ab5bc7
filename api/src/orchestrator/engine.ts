import type { FastifyRequest } from 'fastify'
import {
  agentKnowledgeBaseIds,
  enqueueWebhook,
  getAgent,
  getConversation,
  getContact,
  getOrganization,
  getPromptVersion,
  newId,
  recentMessages,
  recordTurn,
  runningVariants,
  upsertContact,
  type Agent,
  type Conversation,
  type ConversationMemory,
  type Db,
  type Organization,
} from '@luneo/warehouse'
import {
  buildSystemPrompt,
  checkBlockedTopics,
  costUsd,
  detectNegativeSentiment,
  detectPromptInjection,
  redactPii,
  type LlmProvider,
  type PriceTable,
  type VerticalTemplate,
} from '@luneo/models'
import { appendToOutbox, buildEvent, type EventContext } from '@luneo/ingest'
import type { Auth } from '../context.js'
import { AppError, notFound } from '../errors.js'
import type { KnowledgeIndex, RetrievedChunk } from '../knowledge/knowledge-index.js'
import { isActionName, runAction, type ActionRun } from './actions.js'
import { asksForHuman, decideEscalation, type EscalationReason } from './escalation.js'
import { createIntentCache } from './intents.js'
import type { InboundMessage } from './normalize.js'
import { audit } from '../services/audit.js'
import { chooseVariant, type ChosenVariant } from './variants.js'

export interface EngineDeps {
  db: Db
  index: KnowledgeIndex
  provider: LlmProvider
  templates: Map<string, VerticalTemplate>
  prices: PriceTable
  /** Model used when the agent names none (`local` for the local provider). */
  defaultModel: string
  /** Below this best retrieval score a reply counts as not grounded. */
  minGroundingScore: number
  random?: () => number
  /** When events happen; the demo seeder replays 60 days through the real engine with a moving clock. */
  clock?: () => Date
  onEventsCommitted?: () => void
}

export interface EngineReply {
  conversationId: string
  messageId: string
  replyId: string
  reply: string
  intent: string
  confidence: number
  grounded: boolean
  sources: { documentId: string; knowledgeBaseId: string; title: string; score: number }[]
  actions: { name: string; ok: boolean; needsInput: boolean; data: Record<string, unknown> }[]
  escalated: boolean
  escalationReason: EscalationReason | null
  variantId: string | null
  usage: {
    promptTokens: number
    completionTokens: number
    tokens: number
    costUsd: number
    model: string
    provider: string
  }
}

const HANDED_OFF_REPLY = 'A member of our team has this conversation and will reply here shortly.'
const SAFETY_REPLY = "I can't help with that here. I'm passing this conversation to a member of our team."
const RETRIEVE_K = 4

/** The conversation engine: one customer message in, one reply out, everything committed together. */
export function createEngine(deps: EngineDeps) {
  const classifierFor = createIntentCache(deps.db)
  const random = deps.random ?? Math.random

  async function load(auth: Auth, conversationId: string) {
    const conversation = await getConversation(deps.db, auth.organizationId, conversationId)
    if (!conversation) throw notFound('Conversation')
    const [agent, org] = await Promise.all([
      getAgent(deps.db, auth.organizationId, conversation.agent_id),
      getOrganization(deps.db, auth.organizationId),
    ])
    if (!agent || !org) throw notFound('Conversation')
    const template = deps.templates.get(agent.vertical)
    if (!template) throw new AppError('conflict', `No template for vertical ${agent.vertical}`)
    if (template.requiresCompliance && !org.compliance_approved) throw new AppError('compliance_required')
    return { conversation, agent, org, template }
  }

  async function systemPrompt(
    auth: Auth,
    agent: Agent,
    org: Organization,
    template: VerticalTemplate,
    variant: ChosenVariant | null,
    intent: string,
    contactName: string | null,
    memory: ConversationMemory,
  ) {
    let text: string | undefined = variant?.template
    if (!text && agent.prompt_version_id)
      text = (await getPromptVersion(deps.db, auth.organizationId, agent.prompt_version_id))?.template
    return buildSystemPrompt({
      template: text,
      tone: template.tone,
      intent,
      contactName: contactName ?? undefined,
      memory: memory.summary ? [memory.summary] : [],
      businessName: org.name,
    })
  }

  /** Runs the chain for one inbound message. Nothing is written unless the whole turn commits. */
  async function respond(
    auth: Auth,
    req: FastifyRequest,
    conversationId: string,
    inbound: InboundMessage,
  ): Promise<EngineReply> {
    const started = performance.now()
    const { conversation, agent, org, template } = await load(auth, conversationId)
    const memory: ConversationMemory = conversation.memory ?? {}
    const channel = inbound.channel ?? conversation.channel

    // safety in: PII never leaves Postgres unredacted (events, remote models)
    const redacted = redactPii(inbound.text)
    const injection = detectPromptInjection(inbound.text)
    const blocked = checkBlockedTopics(inbound.text, template.blockedTopics)
    const safetyHit = injection.flagged || blocked.blocked

    // intent
    const classifier = await classifierFor(auth.organizationId, template)
    const prediction = classifier.predict(redacted.text)
    const asked =
      asksForHuman(inbound.text) ||
      (prediction.intent === 'human_handoff' && prediction.confidence >= template.escalation.confidenceBelow)

    // context + retrieval
    const kbIds = await agentKnowledgeBaseIds(deps.db, auth.organizationId, agent.id)
    const search = (q: string) => deps.index.query(auth.organizationId, kbIds, q, RETRIEVE_K)
    const alreadyHandedOff = conversation.status === 'handed_off'
    const chunks: RetrievedChunk[] = safetyHit || alreadyHandedOff ? [] : await search(redacted.text)
    const history = await recentMessages(deps.db, auth.organizationId, conversation.id, 6)
    const contact = conversation.contact_id
      ? await getContact(deps.db, auth.organizationId, conversation.contact_id)
      : undefined

    // prompt variant (tuning state) + LLM
    const variant = chooseVariant(await runningVariants(deps.db, auth.organizationId, agent.id), random)
    const model = typeof agent.settings.model === 'string' ? agent.settings.model : deps.defaultModel
    let text: string
    let grounded = false
    let usage = { promptTokens: 0, completionTokens: 0 }
    let provider = 'none'
    let usedModel = model
    let fallback = false
    if (alreadyHandedOff) text = HANDED_OFF_REPLY
    else if (safetyHit) text = SAFETY_REPLY
    else {
      const system = await systemPrompt(
        auth,
        agent,
        org,
        template,
        variant,
        prediction.intent,
        contact?.name ?? null,
        memory,
      )
      const completion = await deps.provider.complete({
        model,
        system,
        messages: [
          ...history.map((m) => ({
            role: m.role === 'customer' ? ('user' as const) : ('assistant' as const),
            content: redactPii(m.text).text,
          })),
          { role: 'user' as const, content: redacted.text },
        ],
        context: {
          chunks: chunks.map((c) => ({ text: c.text, score: c.score, title: c.title })),
          tone: template.tone,
          intent: prediction.intent,
          language: typeof agent.settings.language === 'string' ? agent.settings.language : 'en',
        },
      })
      text = completion.text
      grounded = completion.grounded && (chunks[0]?.score ?? 0) >= deps.minGroundingScore
      usage = completion.usage
      provider = completion.provider
      usedModel = completion.model
      fallback = completion.fallbackFrom !== undefined
    }
    // The local provider (also when it answers as a fallback) costs nothing, whatever model was asked for.
    const cost = provider === 'none' || provider === 'local' ? 0 : safeCost(usedModel, usage, deps.prices)
    const sentiment = detectNegativeSentiment(inbound.text)
    const intentDef = template.intents.find((i) => i.name === prediction.intent)

    return deps.db.transaction().execute(async (trx) => {
      const messageId = newId()
      const replyId = newId()
      const ctx: EventContext = {
        occurredAt: (deps.clock ?? (() => new Date()))(),
        organizationId: auth.organizationId,
        vertical: agent.vertical,
        correlationId: req.id,
        conversationId: conversation.id,
        contactId: conversation.contact_id,
        agentId: agent.id,
      }

      // progressive contact profile: what the customer told us, merged into one contact
      const learned = contactFrom(inbound, redacted.findings.length ? inbound.text : '')
      let contactId = conversation.contact_id
      if (learned) {
        contactId = (await upsertContact(trx, auth.organizationId, newId(), learned)).id
        ctx.contactId = contactId
      }

      // actions run with the tenant's scope, inside this transaction
      const actions: ActionRun[] = []
      const actionName = intentDef?.action
      if (
        !alreadyHandedOff &&
        !safetyHit &&
        actionName &&
        isActionName(actionName) &&
        template.actions.includes(actionName) &&
        prediction.confidence >= template.escalation.confidenceBelow
      ) {
        actions.push(
          await runAction(actionName, inbound.text, {
            trx,
            organizationId: auth.organizationId,
            conversationId: conversation.id,
            contactId,
            currency: org.currency,
            search,
          }),
        )
      }
      const actionFailed = actions.some((a) => !a.result.ok)
      const unansweredStreak = grounded || alreadyHandedOff ? 0 : (memory.unansweredStreak ?? 0) + 1
      const reason = alreadyHandedOff
        ? null
        : decideEscalation({
            asked: asked || actions.some((a) => a.name === 'handoff'),
            unansweredStreak,
            negativeSentiment: sentiment.negative,
            safetyHit,
            actionFailed,
            maxUnansweredTurns: template.escalation.maxUnansweredTurns,
            escalateOnNegativeSentiment: template.escalation.negativeSentiment,
          })
      const said = actions.map((a) => a.result.say).filter(Boolean)
      const handoffLine =
        reason && !safetyHit ? "I'm connecting you with a member of our team; they'll reply here." : ''
      const reply = [text, ...said, handoffLine].filter(Boolean).join(' ')

      // Every mutation by a person or key is audited: who sent which message, in which request.
      await audit(
        trx,
        req,
        auth,
        'message.created',
        { type: 'message', id: messageId },
        { conversationId: conversation.id },
      )
      const reopens = conversation.status === 'resolved' || conversation.status === 'closed'
      await recordTurn(trx, {
        organizationId: auth.organizationId,
        conversationId: conversation.id,
        messages: [
          {
            id: messageId,
            role: 'customer',
            text: inbound.text,
            metadata: { channel, externalId: inbound.externalId ?? null },
          },
          {
            id: replyId,
            role: 'agent',
            text: reply,
            metadata: {
              intent: prediction.intent,
              confidence: prediction.confidence,
              grounded,
              variantId: variant?.variantId ?? null,
              sources: chunks.map((c) => c.documentId),
            },
          },
        ],
        memory: {
          ...memory,
          unansweredStreak,
          lastIntent: prediction.intent,
          lastCustomerText: redacted.text.slice(0, 300),
          summary: summarize(memory.summary, prediction.intent),
        },
        contactId: conversation.contact_id ? null : contactId,
        ...(reason
          ? { status: 'handed_off' as const, escalationReason: reason }
          : reopens
            ? { status: 'open' as const }
            : {}),
      })

      const latencyMs = Math.round(performance.now() - started)
      const events = [
        buildEvent('message.received', ctx, {
          messageId,
          channel,
          text: redacted.text,
          piiRedacted: redacted.findings.length,
        }),
        buildEvent('reply.sent', ctx, {
          messageId: replyId,
          replyToId: messageId,
          intent: prediction.intent,
          intentConfidence: clamp01(prediction.confidence),
          grounded,
          topScore: clamp01(chunks[0]?.score ?? 0),
          retrievalScores: chunks.map((c) => clamp01(c.score)),
          sourceDocumentIds: [...new Set(chunks.map((c) => c.documentId))].filter(Boolean),
          experimentId: variant?.experimentId ?? null,
          variantId: variant?.variantId ?? null,
          provider,
          model: usedModel,
          fallback,
          promptTokens: usage.promptTokens,
          completionTokens: usage.completionTokens,
          costUsd: cost,
          latencyMs,
          escalated: reason !== null,
        }),
        ...actions.map((a) =>
          buildEvent('action.executed', ctx, {
            action: a.name,
            ok: a.result.ok,
            needsInput: a.input === null,
            messageId: replyId,
          }),
        ),
        ...actions.flatMap((a) =>
          a.result.outcome
            ? [
                buildEvent('outcome.recorded', ctx, {
                  outcomeId: a.result.outcome.id,
                  type: 'lead',
                  amount: a.result.outcome.amount,
                  currency: a.result.outcome.currency,
                }),
              ]
            : [],
        ),
        ...(reason ? [buildEvent('conversation.escalated', ctx, { reason, messageId: replyId })] : []),
      ]
      await appendToOutbox(trx, events)
      if (reason && org.webhook_url) {
        await enqueueWebhook(trx, {
          id: newId(),
          organization_id: auth.organizationId,
          event_type: 'conversation.escalated',
          url: org.webhook_url,
          payload: {
            type: 'conversation.escalated',
            conversationId: conversation.id,
            agentId: agent.id,
            reason,
            lastMessage: redacted.text,
            occurredAt: new Date().toISOString(),
          },
        })
      }
      return {
        conversationId: conversation.id,
        messageId,
        replyId,
        reply,
        intent: prediction.intent,
        confidence: clamp01(prediction.confidence),
        grounded,
        sources: dedupeSources(chunks),
        actions: actions.map((a) => ({
          name: a.name,
          ok: a.result.ok,
          needsInput: a.input === null,
          data: a.result.data,
        })),
        escalated: reason !== null || alreadyHandedOff,
        escalationReason: reason,
        variantId: variant?.variantId ?? null,
        usage: {
          ...usage,
          tokens: usage.promptTokens + usage.completionTokens,
          costUsd: cost,
          model: usedModel,
          provider,
        },
      }
    })
  }

  return {
    async respond(
      auth: Auth,
      req: FastifyRequest,
      conversationId: string,
      inbound: InboundMessage,
    ): Promise<EngineReply> {
      const r = await respond(auth, req, conversationId, inbound)
      deps.onEventsCommitted?.()
      return r
    },
  }
}

export type Engine = ReturnType<typeof createEngine>

const clamp01 = (x: number) => Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0))

function safeCost(
  model: string,
  usage: { promptTokens: number; completionTokens: number },
  prices: PriceTable,
): number {
  try {
    return costUsd(model, usage, prices)
  } catch {
    // An unpriced model costs what the table says for "*", or 0 — reported as such in the docs.
    return 0
  }
}

function dedupeSources(chunks: RetrievedChunk[]) {
  const seen = new Set<string>()
  return chunks
    .filter((c) => (seen.has(c.documentId) ? false : (seen.add(c.documentId), true)))
    .map((c) => ({
      documentId: c.documentId,
      knowledgeBaseId: c.knowledgeBaseId,
      title: c.title,
      score: clamp01(c.score),
    }))
}

/** A running summary of what the conversation was about (intents in order, last 8). */
function summarize(previous: string | undefined, intent: string): string {
  const topics = (previous ? previous.replace(/^Topics so far: /, '').split(', ') : []).filter(Boolean)
  if (topics[topics.length - 1] !== intent) topics.push(intent)
  return `Topics so far: ${topics.slice(-8).join(', ')}`
}

/** Email/phone/name the customer gave, from the request or found in their words. */
function contactFrom(
  inbound: InboundMessage,
  textWithPii: string,
): { email?: string; phone?: string; name?: string } | null {
  const email = inbound.contact?.email ?? /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.exec(textWithPii)?.[0]
  const phone = inbound.contact?.phone
  const name = inbound.contact?.name
  if (!email && !phone && !name) return null
  return {
    ...(email ? { email: email.toLowerCase() } : {}),
    ...(phone ? { phone } : {}),
    ...(name ? { name } : {}),
  }
}

export type { Conversation }

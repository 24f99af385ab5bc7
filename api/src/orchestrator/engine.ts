import { newId, type Db } from '@luneo/warehouse'
import type { LlmProvider, PriceTable, VerticalTemplate } from '@luneo/models'
import type { Caller } from '../caller.js'
import type { KnowledgeIndex } from '../knowledge/knowledge-index.js'
import { createIntentCache } from './intents.js'
import type { InboundMessage } from './normalize.js'
import { act } from './steps/act.js'
import { classify } from './steps/classify.js'
import { commit } from './steps/commit.js'
import { compose, type Silenced } from './steps/compose.js'
import { decide } from './steps/decide.js'
import { load } from './steps/load.js'
import { retrieve } from './steps/retrieve.js'
import { screen } from './steps/screen.js'
import type { Engine, EngineReply, WithTurn } from './types.js'
import type { FaultPoint } from '../context.js'

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
  /** The atomicity test's seam (AppDeps.faultPoint): points after the model call and inside commit. */
  faultPoint?: FaultPoint
}

/**
 * The conversation engine (DESIGN §4): load → screen → classify → retrieve → compose, then act →
 * decide → commit in one transaction. Each step is a small function in ./steps; the IO-free ones
 * (screen, classify, decide, the events) are tested alone. Nothing is written unless the whole
 * turn commits.
 */
export function createEngine(deps: EngineDeps): Engine {
  const classifierFor = createIntentCache(deps.db)
  const composeDeps = { ...deps, random: deps.random ?? Math.random }
  const clock = deps.clock ?? (() => new Date())

  async function respond(
    caller: Caller,
    conversationId: string,
    inbound: InboundMessage,
    withTurn?: WithTurn,
  ): Promise<EngineReply> {
    const started = performance.now()
    const org = caller.auth.organizationId
    const turn = await load(deps.db, deps.templates, org, conversationId)
    const screened = screen(inbound.text, turn.template)
    const redactedText = screened.redacted.text
    const alreadyHandedOff = turn.conversation.status === 'handed_off'
    const silenced: Silenced = alreadyHandedOff ? 'handed_off' : screened.safetyHit ? 'safety' : null
    const intent = classify(
      await classifierFor(org, turn.template),
      turn.template,
      inbound.text,
      redactedText,
    )
    const found = await retrieve(deps.db, deps.index, org, turn, redactedText, silenced === null)
    const composed = await compose(composeDeps, org, turn, intent, found, redactedText, silenced)
    // The model is paid from here on: a failure past this point must still write nothing.
    deps.faultPoint?.('turn.after_llm')
    return deps.db.transaction().execute(async (trx) => {
      const hadPii = screened.redacted.findings.length > 0
      const acted = await act(trx, org, turn, inbound, intent, found, silenced, hadPii)
      deps.faultPoint?.('turn.after_act')
      const decision = decide({
        template: turn.template,
        memory: turn.memory,
        alreadyHandedOff,
        safetyHit: screened.safetyHit,
        negativeSentiment: screened.negativeSentiment,
        intent,
        grounded: composed.grounded,
        text: composed.text,
        actions: acted.actions,
      })
      const record = {
        messageId: newId(),
        replyId: newId(),
        channel: inbound.channel ?? turn.conversation.channel,
        inbound,
        redactedText,
        piiFindings: screened.redacted.findings.length,
        intent,
        found,
        composed,
        acted,
        decision,
        startedAt: started,
      }
      const reply = await commit(trx, caller, turn, record, clock(), deps.faultPoint)
      await withTurn?.(trx, reply)
      deps.faultPoint?.('turn.before_commit')
      return reply
    })
  }

  return {
    async respond(caller, conversationId, inbound, withTurn) {
      const reply = await respond(caller, conversationId, inbound, withTurn)
      deps.onEventsCommitted?.()
      return reply
    },
  }
}

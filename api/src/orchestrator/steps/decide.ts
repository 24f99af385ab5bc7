import type { ConversationMemory } from '@luneo/warehouse'
import type { VerticalTemplate } from '@luneo/models'
import type { ActionRun } from '../actions.js'
import { decideEscalation, type EscalationReason } from '../escalation.js'
import type { Classified } from './classify.js'

const HANDOFF_LINE = "I'm connecting you with a member of our team; they'll reply here."

export interface DecideInput {
  template: VerticalTemplate
  memory: ConversationMemory
  alreadyHandedOff: boolean
  safetyHit: boolean
  negativeSentiment: boolean
  intent: Classified
  grounded: boolean
  /** The composed answer, before action sentences and the hand-off line. */
  text: string
  actions: ActionRun[]
}

export interface Decision {
  /** Why this turn hands the conversation to a person; null when it does not. */
  reason: EscalationReason | null
  /** Replies in a row that could not be grounded, including this one. */
  unansweredStreak: number
  /** What the customer reads: the answer, what the actions say, and the hand-off line. */
  reply: string
}

/**
 * Step 7, decide (pure): whether to hand off, and the reply the customer reads. A conversation a
 * person already has never escalates again; a safety reply already says it is passed on.
 */
export function decide(i: DecideInput): Decision {
  const unansweredStreak = i.grounded || i.alreadyHandedOff ? 0 : (i.memory.unansweredStreak ?? 0) + 1
  const reason = i.alreadyHandedOff
    ? null
    : decideEscalation({
        asked: i.intent.askedForPerson || i.actions.some((a) => a.name === 'handoff'),
        unansweredStreak,
        negativeSentiment: i.negativeSentiment,
        safetyHit: i.safetyHit,
        actionFailed: i.actions.some((a) => !a.result.ok),
        maxUnansweredTurns: i.template.escalation.maxUnansweredTurns,
        escalateOnNegativeSentiment: i.template.escalation.negativeSentiment,
      })
  const said = i.actions.map((a) => a.result.say).filter(Boolean)
  const handoffLine = reason && !i.safetyHit ? HANDOFF_LINE : ''
  return { reason, unansweredStreak, reply: [i.text, ...said, handoffLine].filter(Boolean).join(' ') }
}

/** A running summary of what the conversation was about (intents in order, last 8). */
export function summarize(previous: string | undefined, intent: string): string {
  const topics = (previous ? previous.replace(/^Topics so far: /, '').split(', ') : []).filter(Boolean)
  if (topics[topics.length - 1] !== intent) topics.push(intent)
  return `Topics so far: ${topics.slice(-8).join(', ')}`
}

export type EscalationReason = 'asked' | 'low_confidence' | 'sentiment' | 'safety' | 'action_failure'

export interface EscalationInput {
  /** The customer asked for a person (intent or explicit words). */
  asked: boolean
  /** Consecutive replies, including this one, that could not be grounded in knowledge. */
  unansweredStreak: number
  negativeSentiment: boolean
  safetyHit: boolean
  actionFailed: boolean
  /** From the vertical template: how many unanswered turns in a row hand off (default 2). */
  maxUnansweredTurns: number
  escalateOnNegativeSentiment: boolean
}

/** Decides whether this turn hands the conversation to a person, and why (first reason wins). */
export function decideEscalation(i: EscalationInput): EscalationReason | null {
  if (i.safetyHit) return 'safety'
  if (i.asked) return 'asked'
  if (i.actionFailed) return 'action_failure'
  if (i.negativeSentiment && i.escalateOnNegativeSentiment) return 'sentiment'
  if (i.unansweredStreak >= i.maxUnansweredTurns) return 'low_confidence'
  return null
}

const ASK_FOR_HUMAN =
  /\b(human|real person|agent|someone real|representative|talk to (a|some)one|speak (to|with) (a|some)one|operator|manager)\b/i

/** Explicit words asking for a person, whatever the classifier thought. */
export function asksForHuman(text: string): boolean {
  return ASK_FOR_HUMAN.test(text) && !/\bno\b.*\b(human|agent)\b/i.test(text)
}

import {
  checkBlockedTopics,
  detectNegativeSentiment,
  detectPromptInjection,
  redactPii,
  type RedactionResult,
  type VerticalTemplate,
} from '@luneo/models'

/** What the safety screen found in the customer's words. */
export interface Screened {
  /** The text with PII replaced: what events and remote models see. */
  redacted: RedactionResult
  /** A prompt injection or a blocked topic: no retrieval, no model, a safe reply and a hand-off. */
  safetyHit: boolean
  negativeSentiment: boolean
}

/**
 * Step 2, screen (pure): PII never leaves Postgres unredacted (events, remote models); injections
 * and the vertical's blocked topics stop the turn before retrieval and the model.
 */
export function screen(text: string, template: VerticalTemplate): Screened {
  const injection = detectPromptInjection(text)
  const blocked = checkBlockedTopics(text, template.blockedTopics)
  return {
    redacted: redactPii(text),
    safetyHit: injection.flagged || blocked.blocked,
    negativeSentiment: detectNegativeSentiment(text).negative,
  }
}

import {
  checkBlockedTopics,
  detectNegativeSentiment,
  detectPromptInjection,
  redactPii,
  type RedactionResult,
  type VerticalTemplate,
} from '@luneo/models'

/**
 * The most characters of customer text that leave the turn (events, prompts): what the API accepts.
 * Redaction can lengthen a text ("a@b.co" → "[EMAIL]"), so the bound is applied after it.
 */
export const MAX_REDACTED_CHARS = 4_000

/**
 * The redacted text cut to `max` characters, never inside a placeholder ("[EMA"): a cut one would
 * be neither the customer's words nor a clear mark, so it is dropped whole.
 */
export function boundRedacted(r: RedactionResult, max = MAX_REDACTED_CHARS): RedactionResult {
  if (r.text.length <= max) return r
  let cut = r.text.slice(0, max)
  const open = cut.lastIndexOf('[')
  if (open >= 0 && !cut.includes(']', open) && /^\[[A-Z_]*$/.test(cut.slice(open))) cut = cut.slice(0, open)
  return { text: cut.trimEnd(), findings: r.findings }
}

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
    redacted: boundRedacted(redactPii(text)),
    safetyHit: injection.flagged || blocked.blocked,
    negativeSentiment: detectNegativeSentiment(text).negative,
  }
}

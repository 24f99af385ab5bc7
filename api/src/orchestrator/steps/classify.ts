import type { IntentClassifier, VerticalTemplate } from '@luneo/models'
import { asksForHuman } from '../escalation.js'

export interface Classified {
  intent: string
  confidence: number
  /** The customer asked for a person: explicit words, or a confident `human_handoff` intent. */
  askedForPerson: boolean
}

/**
 * Step 3, classify (pure given the classifier): the intent of the redacted text, and whether the
 * customer asked for a person. Explicit words count whatever the classifier thought.
 */
export function classify(
  classifier: IntentClassifier,
  template: VerticalTemplate,
  text: string,
  redactedText: string,
): Classified {
  const p = classifier.predict(redactedText)
  const confidentHandoff = p.intent === 'human_handoff' && p.confidence >= template.escalation.confidenceBelow
  return {
    intent: p.intent,
    confidence: p.confidence,
    askedForPerson: asksForHuman(text) || confidentHandoff,
  }
}

import type { Labelled } from './datasets.js'

/** Real customer phrasings an FAQ entry quotes by default: "a few", what a support team writes down. */
export const FAQ_PHRASINGS = 6

/** The title of an intent's FAQ entry ("card_arrival" → "Card arrival"). */
export function faqTitle(intent: string): string {
  const topic = intent.replaceAll('_', ' ')
  return topic.charAt(0).toUpperCase() + topic.slice(1)
}

/**
 * One FAQ entry per intent, as a support team writes it: a short answer, and the first
 * `phrasings` real customer questions of the intent (from a train split) as the questions it
 * answers. The answer is one template with the topic in it, so what the knowledge knows of the
 * intent is its name and those questions — never a test question.
 */
export function faqDocument(
  intent: string,
  train: readonly Labelled[],
  phrasings = FAQ_PHRASINGS,
): { title: string; text: string; questions: string[] } {
  const topic = intent.replaceAll('_', ' ')
  return {
    title: faqTitle(intent),
    text: `For ${topic}, open the app, go to Help, choose ${topic} and follow the steps shown. Our team confirms within one business day.`,
    questions: train
      .filter((r) => r.intent === intent)
      .slice(0, phrasings)
      .map((r) => r.text),
  }
}

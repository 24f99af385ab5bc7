/**
 * What the provider writes for a new knowledge gap: its title (only a configured remote model;
 * otherwise the most central question) and a first answer for a person to review.
 */
import type { JobContext } from '../runner/job.js'
import { DRAFT_MARK, PLACEHOLDER_MARK, centralTitle, cleanModelTitle } from './gaps.js'

const TITLE_SYSTEM =
  'You name topics of customer questions for a support team. Reply with a title of 3 to 8 words ' +
  'that says what the customers in the context want to know, as a short phrase (e.g. "Paying with Apple Pay"). ' +
  'No quotes, no list of keywords, nothing else.'

/**
 * The gap's title: the configured remote model's, when there is one and it answers with a usable
 * title; else the most central question. Never a keyword list (cleanModelTitle refuses them).
 */
export async function gapTitle(ctx: JobContext, model: string, examples: string[]): Promise<string> {
  const fallback = centralTitle(examples[0] ?? '')
  // The local provider is extractive: it cannot name a topic.
  if (model === 'local') return fallback
  try {
    // The questions are the context the title rests on (score 1: all of it is relevant), so a
    // provider that abstains without grounding context still answers, and must answer grounded.
    const r = await ctx.provider.complete({
      model,
      system: TITLE_SYSTEM,
      messages: [{ role: 'user', content: 'Title the customer questions in the context.' }],
      context: {
        chunks: [{ text: examples.map((e) => `- ${e}`).join('\n'), score: 1, title: 'Customer questions' }],
        language: 'en',
      },
      maxTokens: 24,
    })
    // A fallback answer is the local provider's, not the model's.
    return (r.grounded && !r.fallbackFrom && cleanModelTitle(r.text)) || fallback
  } catch (err) {
    ctx.log?.(`[knowledge_gaps_v1] titling failed for “${fallback}”: ${String(err)}`)
    return fallback
  }
}

/**
 * A first answer for a person to review: the provider composes from the nearest knowledge; with
 * nothing near, a placeholder that says so (accepting it needs a person's answer).
 */
export async function draftAnswer(
  ctx: JobContext,
  model: string,
  org: string,
  label: string,
  examples: string[],
): Promise<string> {
  const question = examples[0] ?? label
  const placeholder = `${PLACEHOLDER_MARK} No knowledge is close enough to these questions to draft from: write the answer customers need (e.g. to “${question}”) before accepting.`
  try {
    const near = ctx.searchKnowledge ? await ctx.searchKnowledge(org, question) : []
    const r = await ctx.provider.complete({
      model,
      system:
        'Draft a short knowledge-base answer to the customer questions below, using only the context. A person reviews it before it is published.',
      messages: [{ role: 'user', content: examples.join('\n') || question }],
      context: {
        chunks: near.map((c) => ({ text: c.text, score: c.score, title: c.title })),
        language: 'en',
      },
    })
    return r.grounded ? `${DRAFT_MARK}${r.text}` : placeholder
  } catch (err) {
    // A failed draft must not lose the gap: the placeholder asks a person, the log says why.
    ctx.log?.(`[knowledge_gaps_v1] drafting failed for “${question}”: ${String(err)}`)
    return placeholder
  }
}

import { z } from 'zod'

/**
 * How a prompt variant wants replies to read, in terms every provider can honour: the local
 * provider applies it to its extractive answer (providers/local-style.ts), remote models read it
 * as instructions appended to the system prompt. Every field is optional; absent = as before.
 */
export const ReplyStyle = z
  .object({
    /** Most sentences of the answer (the local provider quotes at most this many). */
    maxSentences: z.number().int().min(1).max(10).optional(),
    /** Open the first reply of a conversation with the vertical's greeting (default true). */
    greeting: z.boolean().optional(),
    /** Register of the words around the answer. */
    tone: z.enum(['neutral', 'friendly', 'formal']).optional(),
    /** Name the knowledge the answer comes from. */
    citeSources: z.boolean().optional(),
    /** End a grounded answer by offering what the customer can do next. */
    offerNextStep: z.boolean().optional(),
  })
  .strict()
export type ReplyStyle = z.infer<typeof ReplyStyle>

/** A stored style (validated when written): the style, or undefined for none or anything else. */
export function parseReplyStyle(stored: unknown): ReplyStyle | undefined {
  if (stored === null || stored === undefined) return undefined
  const parsed = ReplyStyle.safeParse(stored)
  return parsed.success ? parsed.data : undefined
}

const TONE: Record<NonNullable<ReplyStyle['tone']>, string> = {
  neutral: 'Use a plain, neutral register.',
  friendly: 'Use a warm, friendly register, as a helpful colleague would.',
  formal: 'Use a formal, courteous register; no exclamation marks.',
}

/** The style as system-prompt lines, so a remote model gets the same intent as the local provider. */
export function styleInstructions(style: ReplyStyle | undefined): string[] {
  if (!style) return []
  const lines: string[] = []
  if (style.maxSentences !== undefined)
    lines.push(`Answer in at most ${style.maxSentences} sentence${style.maxSentences === 1 ? '' : 's'}.`)
  if (style.greeting === false) lines.push('Do not greet the customer; answer directly.')
  if (style.greeting === true) lines.push('Greet the customer in your first reply only.')
  if (style.tone) lines.push(TONE[style.tone])
  if (style.citeSources === true)
    lines.push('After the answer, name the title of the context document you used, as (Source: <title>).')
  if (style.citeSources === false) lines.push('Do not mention sources or documents.')
  if (style.offerNextStep === true)
    lines.push('End an answer with one short next step, such as offering to connect them with a person.')
  return lines
}

import type { Tone } from '../templates/schema.js'
import { renderPrompt, type PromptVars } from './render.js'
import { styleInstructions, type ReplyStyle } from './reply-style.js'

/** The default system prompt; prompt variants replace it and may use the same variables. */
export const DEFAULT_SYSTEM_PROMPT = `You are the virtual assistant of {{business_name}}.
Style: {{tone_style}}. Greet new conversations with "{{greeting}}".
Prefer these words: {{vocabulary}}. Never: {{avoid}}.
The customer is {{contact_name}}. Their likely intent is {{intent}}.
{{memory}}
Answer only from the provided context. If the context does not contain the answer, say you don't know and offer to connect the customer with a person. Never invent prices, dates or policies. Keep answers short.`

export interface SystemPromptInput {
  /** Prompt text with {{var}} placeholders (a prompt variant); defaults to DEFAULT_SYSTEM_PROMPT. */
  template?: string
  tone: Tone
  intent?: string
  contactName?: string
  /** Short facts remembered about the contact from earlier conversations. */
  memory?: string[]
  businessName?: string
  /** Extra variables a custom variant may use. */
  vars?: PromptVars
  /** The variant's reply style, appended as instructions (the local provider applies it itself). */
  style?: ReplyStyle
}

/** Build the system prompt the orchestrator sends with every LLM call. */
export function buildSystemPrompt(input: SystemPromptInput): string {
  const memory = input.memory?.filter((m) => m.trim() !== '') ?? []
  const vars: PromptVars = {
    business_name: input.businessName ?? 'the business',
    tone_style: input.tone.style,
    greeting: input.tone.greeting,
    vocabulary: input.tone.vocabulary.join(', ') || 'plain words',
    avoid: input.tone.avoid.join('; ') || 'nothing in particular',
    contact_name: input.contactName?.trim() || 'a customer whose name you do not know',
    intent: input.intent ?? 'unknown',
    memory: memory.length > 0 ? `What you remember about them: ${memory.join('; ')}.` : '',
    ...input.vars,
  }
  // Collapse the blank line an empty {{memory}} leaves behind.
  const prompt = renderPrompt(input.template ?? DEFAULT_SYSTEM_PROMPT, vars).replace(/\n{2,}/g, '\n')
  const style = styleInstructions(input.style)
  return style.length ? `${prompt}\nReply style: ${style.join(' ')}` : prompt
}

import type { ReplyStyle } from '../prompts/reply-style.js'
import type { Tone } from '../templates/schema.js'

export interface ChatMessage {
  role: 'user' | 'assistant' | 'system'
  content: string
}

/** A retrieved knowledge chunk; `score` is the retrieval similarity in [0, 1]. */
export interface ContextChunk {
  text: string
  score: number
  title?: string
}

export interface CompletionContext {
  chunks: ContextChunk[]
  /** The vertical's tone; providers use at least the greeting. */
  tone?: Partial<Tone>
  intent?: string
  /** BCP 47 language of the conversation, e.g. "en", "fr". */
  language?: string
  /** The prompt variant's style; the local provider honours it, remote models read it in the system prompt. */
  style?: ReplyStyle
  /**
   * The last user message's vector as retrieval embedded it, and by which embedder (its id): a
   * local provider ranking sentences in that same space uses it instead of embedding it again.
   */
  questionVector?: { embedder: string; vector: number[] }
}

export interface CompletionRequest {
  model: string
  system: string
  messages: ChatMessage[]
  context: CompletionContext
  maxTokens?: number
  /** Stream tokens from the remote and accumulate them (remote providers only). */
  stream?: boolean
}

export interface Usage {
  promptTokens: number
  completionTokens: number
}

export interface CompletionResult {
  text: string
  /** True when the answer rests on retrieved context scoring at least the provider's minScore. */
  grounded: boolean
  usage: Usage
  model: string
  provider: string
  /** Set when the primary provider failed and a fallback answered: why, for the logs and signals. */
  fallbackFrom?: { provider: string; error: string }
}

/** Anything that can answer a chat turn. */
export interface LlmProvider {
  readonly id: string
  complete(req: CompletionRequest): Promise<CompletionResult>
}

/** Best retrieval score among chunks, 0 when there are none. */
export function bestScore(chunks: readonly ContextChunk[]): number {
  return chunks.reduce((m, c) => Math.max(m, c.score), 0)
}

/**
 * Rough token count: ~4 characters per token for English (OpenAI's rule of thumb), with a floor
 * of one token per word so short, dense texts are not under-counted.
 */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0
  const words = text.split(/\s+/).filter(Boolean).length
  return Math.max(Math.ceil(text.length / 4), words)
}

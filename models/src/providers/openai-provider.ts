import OpenAI from 'openai'
import { bestScore, estimateTokens, type CompletionRequest, type LlmProvider, type Usage } from './types.js'

export interface OpenAIProviderOptions {
  baseURL: string
  apiKey: string
  /** Per-attempt limit, covering the whole streamed body too (default 20 s). */
  timeoutMs?: number
  /** Retries after the first attempt, on 429 / 5xx / timeouts / connection errors (default 2). */
  maxRetries?: number
  /** First backoff delay; doubles each retry (default 250 ms). */
  backoffMs?: number
  /** Answers when the remote still fails after retries (typically the local provider). */
  fallback?: LlmProvider
  /** Same meaning as the local provider's: grounded needs a chunk at least this good (default 0.35). */
  minScore?: number
}

type ChatParams = OpenAI.Chat.Completions.ChatCompletionMessageParam

/** Chat completions against any OpenAI-compatible server, with retries and an optional fallback. */
export function createOpenAIProvider(opts: OpenAIProviderOptions): LlmProvider {
  const timeoutMs = opts.timeoutMs ?? 20_000
  // SDK retries are off: we own the policy so it is the same for streaming and tested here.
  const client = new OpenAI({ baseURL: opts.baseURL, apiKey: opts.apiKey, timeout: timeoutMs, maxRetries: 0 })
  const minScore = opts.minScore ?? 0.35
  const maxRetries = opts.maxRetries ?? 2
  const backoffMs = opts.backoffMs ?? 250
  return {
    id: 'openai',
    async complete(req) {
      try {
        const { text, usage, model } = await withRetries(
          () => callOnce(client, req, timeoutMs),
          maxRetries,
          backoffMs,
        )
        const grounded = req.context.chunks.length > 0 && bestScore(req.context.chunks) >= minScore
        return { text, grounded, usage, model, provider: 'openai' }
      } catch (err) {
        if (!opts.fallback) throw err
        const result = await opts.fallback.complete(req)
        return { ...result, fallbackFrom: { provider: 'openai', error: describeError(err) } }
      }
    },
  }
}

/** Retrieved chunks go into the system message, numbered, so the model can ground on them. */
export function toChatMessages(req: CompletionRequest): ChatParams[] {
  const context = req.context.chunks
    .map((c, i) => `[${i + 1}]${c.title ? ` ${c.title}:` : ''} ${c.text}`)
    .join('\n')
  const system = context === '' ? req.system : `${req.system}\n\nContext:\n${context}`
  return [
    { role: 'system', content: system },
    ...req.messages.map((m): ChatParams => ({ role: m.role, content: m.content })),
  ]
}

async function callOnce(
  client: OpenAI,
  req: CompletionRequest,
  timeoutMs: number,
): Promise<{ text: string; usage: Usage; model: string }> {
  const messages = toChatMessages(req)
  // The SDK timeout covers the wait for headers; this signal also bounds a stalled stream.
  const signal = AbortSignal.timeout(timeoutMs)
  const base = {
    model: req.model,
    messages,
    ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
  }
  if (!req.stream) {
    const res = await client.chat.completions.create(base, { signal })
    const text = res.choices[0]?.message.content ?? ''
    return { text, model: res.model || req.model, usage: toUsage(res.usage, messages, text) }
  }
  const stream = await client.chat.completions.create(
    { ...base, stream: true, stream_options: { include_usage: true } },
    { signal },
  )
  let text = ''
  let usage: OpenAI.CompletionUsage | undefined
  let model = req.model
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? ''
    if (chunk.usage) usage = chunk.usage
    if (chunk.model) model = chunk.model
  }
  return { text, model, usage: toUsage(usage, messages, text) }
}

/** Servers that omit usage still get a cost estimate rather than zero. */
function toUsage(u: OpenAI.CompletionUsage | null | undefined, messages: ChatParams[], text: string): Usage {
  if (u) return { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens }
  const prompt = messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n')
  return { promptTokens: estimateTokens(prompt), completionTokens: estimateTokens(text) }
}

/** 429, 5xx, timeouts and dropped connections are worth retrying; 4xx are our bug or config. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof OpenAI.APIConnectionError || err instanceof OpenAI.APIUserAbortError) return true
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return true
  if (err instanceof OpenAI.APIError)
    return err.status === 429 || (err.status !== undefined && err.status >= 500)
  return false
}

async function withRetries<T>(fn: () => Promise<T>, maxRetries: number, backoffMs: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn()
    } catch (err) {
      if (attempt >= maxRetries || !isRetryable(err)) throw err
      await sleep(retryDelay(err, attempt, backoffMs))
    }
  }
}

/** Exponential backoff with ±20 % jitter; a server's Retry-After wins when present (capped at 30 s). */
function retryDelay(err: unknown, attempt: number, backoffMs: number): number {
  const header = err instanceof OpenAI.APIError ? err.headers?.get('retry-after') : null
  const seconds = header !== null && header !== undefined ? Number(header) : NaN
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 30_000)
  return backoffMs * 2 ** attempt * (0.8 + Math.random() * 0.4)
}

function describeError(err: unknown): string {
  if (err instanceof OpenAI.APIError && err.status !== undefined) return `${err.status} ${err.message}`
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

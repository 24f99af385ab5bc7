import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { embedText } from '../embeddings/local-embedder.js'
import { estimateTokens } from '../providers/types.js'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: any
}

export interface FakeOpenAIOptions {
  /** Reply text for a chat request; default echoes the last user message. */
  reply?: (body: any) => string
  /** Vector size returned by /v1/embeddings (default 8). */
  embeddingDimension?: number
}

export interface FakeOpenAI {
  /** Base URL to give the SDK, e.g. http://127.0.0.1:40123/v1 */
  baseURL: string
  requests: RecordedRequest[]
  /** The next `n` requests answer `status` (500, 429, …) with an OpenAI-shaped error body. */
  failNext(n: number, status?: number): void
  /** The next `n` requests never answer (until close). */
  hangNext(n: number): void
  setReply(reply: (body: any) => string): void
  close(): Promise<void>
}

/** A real HTTP server speaking enough of the OpenAI API for tests; listens on 127.0.0.1:0. */
export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = []
  const failures: number[] = []
  let hangs = 0
  let reply = opts.reply ?? defaultReply
  const dim = opts.embeddingDimension ?? 8

  const server = createServer((req, res) => {
    void readJson(req).then((body) => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body })
      if (hangs > 0) {
        hangs--
        return // never answer: the client's timeout must fire
      }
      const status = failures.shift()
      if (status !== undefined) return sendError(res, status)
      if (req.method === 'POST' && req.url === '/v1/chat/completions') return chat(res, body, reply(body))
      if (req.method === 'POST' && req.url === '/v1/embeddings') return embeddings(res, body, dim)
      sendJson(res, 404, {
        error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' },
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext: (n, status = 500) => failures.push(...new Array<number>(n).fill(status)),
    hangNext: (n) => {
      hangs += n
    },
    setReply: (r) => {
      reply = r
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections() // hanging requests would otherwise keep close() waiting
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

function defaultReply(body: any): string {
  const msgs: { role: string; content: string }[] = body?.messages ?? []
  const last = [...msgs].reverse().find((m) => m.role === 'user')
  return `Fake answer to: ${last?.content ?? ''}`
}

async function readJson(req: IncomingMessage): Promise<any> {
  const parts: Buffer[] = []
  for await (const part of req) parts.push(part as Buffer)
  const raw = Buffer.concat(parts).toString('utf8')
  try {
    return raw === '' ? undefined : JSON.parse(raw)
  } catch {
    return raw
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(payload))
}

function sendError(res: ServerResponse, status: number): void {
  const type = status === 429 ? 'rate_limit_exceeded' : 'server_error'
  // retry-after 0 keeps tests fast while still exercising the header path.
  sendJson(
    res,
    status,
    { error: { message: `fake ${status}`, type, code: type } },
    status === 429 ? { 'retry-after': '0' } : {},
  )
}

function chat(res: ServerResponse, body: any, text: string): void {
  const model: string = body?.model ?? 'gpt-4o-mini'
  const promptText = (body?.messages ?? []).map((m: any) => String(m.content)).join('\n')
  const usage = {
    prompt_tokens: estimateTokens(promptText),
    completion_tokens: estimateTokens(text),
    total_tokens: 0,
  }
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens
  const base = { id: 'chatcmpl-fake', created: Math.floor(Date.now() / 1000), model }
  if (!body?.stream) {
    const choice = {
      index: 0,
      message: { role: 'assistant', content: text },
      finish_reason: 'stop',
      logprobs: null,
    }
    return sendJson(res, 200, { ...base, object: 'chat.completion', choices: [choice], usage })
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  })
  const send = (chunk: unknown): boolean =>
    res.write(
      `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', ...(chunk as object) })}\n\n`,
    )
  send({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })
  // One chunk per word, like real token streaming.
  for (const piece of text.match(/\S+\s*/g) ?? [])
    send({ choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })
  send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })
  if (body?.stream_options?.include_usage) send({ choices: [], usage })
  res.end('data: [DONE]\n\n')
}

function embeddings(res: ServerResponse, body: any, dim: number): void {
  const inputs: string[] = Array.isArray(body?.input) ? body.input : [String(body?.input ?? '')]
  // The SDK asks for base64 (little-endian float32) unless the caller sets encoding_format.
  const encode = (v: number[]): number[] | string =>
    body?.encoding_format === 'base64' ? Buffer.from(Float32Array.from(v).buffer).toString('base64') : v
  const data = inputs.map((text, index) => ({
    object: 'embedding',
    index,
    embedding: encode(embedText(text, dim)),
  }))
  const tokens = inputs.reduce((s, t) => s + estimateTokens(t), 0)
  sendJson(res, 200, {
    object: 'list',
    model: body?.model ?? 'text-embedding-3-small',
    data,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  })
}

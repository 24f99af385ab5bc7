// The browser only ever talks to this origin: /api/** is forwarded to the API (LUNEO_API_URL, read
// per request so one build serves any deployment), so the session cookies the API sets stay
// first-party and its SameSite=Lax + CSRF rules (ADR 0004) apply unchanged. The Origin header is
// passed through: the API checks it against LUNEO_CORS_ORIGINS, which lists this dashboard.
import type { NextRequest } from 'next/server'

export const dynamic = 'force-dynamic'

const apiBase = () => process.env.LUNEO_API_URL ?? 'http://127.0.0.1:3000'

// Hop-by-hop headers and those fetch recomputes must not be copied across.
const DROP_REQUEST = ['host', 'connection', 'content-length', 'accept-encoding']
const DROP_RESPONSE = ['connection', 'content-encoding', 'content-length', 'transfer-encoding']

// An API that does not start answering within this long is reported as such, rather than leaving
// the page on "Loading…" for undici's 300 s default. Only the wait for headers is bounded: a long
// CSV export keeps streaming once it has started.
const HEADERS_TIMEOUT_MS = 30_000

const problem = (status: number, code: string, detail: string) =>
  Response.json(
    { type: 'about:blank', title: detail, status, code, detail },
    { status, headers: { 'content-type': 'application/problem+json' } },
  )

async function forward(req: NextRequest): Promise<Response> {
  const target = new URL(req.nextUrl.pathname + req.nextUrl.search, apiBase())
  const headers = new Headers(req.headers)
  for (const h of DROP_REQUEST) headers.delete(h)
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), HEADERS_TIMEOUT_MS)
  let upstream: Response
  try {
    upstream = await fetch(target, {
      method: req.method,
      headers,
      body: hasBody ? await req.arrayBuffer() : undefined,
      redirect: 'manual',
      cache: 'no-store',
      signal: abort.signal,
    })
  } catch (err) {
    // Same problem+json shape as the API's own errors, so the page shows one kind of message.
    if (abort.signal.aborted)
      return problem(504, 'unavailable', `The API did not answer within ${HEADERS_TIMEOUT_MS / 1000} s`)
    console.error(`[proxy] ${req.method} ${target.pathname}:`, err)
    return problem(502, 'unavailable', 'The API is not reachable')
  } finally {
    clearTimeout(timer)
  }
  const out = new Headers(upstream.headers)
  for (const h of DROP_RESPONSE) out.delete(h)
  return new Response(upstream.body, { status: upstream.status, headers: out })
}

export { forward as GET, forward as POST, forward as PUT, forward as PATCH, forward as DELETE }

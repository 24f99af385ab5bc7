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

async function forward(req: NextRequest): Promise<Response> {
  const target = new URL(req.nextUrl.pathname + req.nextUrl.search, apiBase())
  const headers = new Headers(req.headers)
  for (const h of DROP_REQUEST) headers.delete(h)
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  let upstream: Response
  try {
    upstream = await fetch(target, {
      method: req.method,
      headers,
      body: hasBody ? await req.arrayBuffer() : undefined,
      redirect: 'manual',
      cache: 'no-store',
    })
  } catch (err) {
    console.error(`[proxy] ${req.method} ${target.pathname}:`, err)
    // Same problem+json shape as the API's own errors, so the page shows one kind of message.
    return Response.json(
      {
        type: 'about:blank',
        title: 'Bad Gateway',
        status: 502,
        code: 'unavailable',
        detail: 'The API is not reachable',
      },
      { status: 502, headers: { 'content-type': 'application/problem+json' } },
    )
  }
  const out = new Headers(upstream.headers)
  for (const h of DROP_RESPONSE) out.delete(h)
  return new Response(upstream.body, { status: upstream.status, headers: out })
}

export { forward as GET, forward as POST, forward as PUT, forward as PATCH, forward as DELETE }

import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import http, { type ClientRequest, type IncomingMessage } from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { isInternalAddress } from './internal-address.js'

/**
 * Outgoing HTTP to a URL a tenant configured (webhooks). The destination is judged at connect time
 * on the address actually dialled, not on the name as typed when it was saved: a name that
 * resolves inside (`metadata.google.internal.`, `localhost.`, `clickhouse`, a DNS answer changed
 * after the check) is refused before a byte leaves. Redirects are not followed.
 */

export class DestinationRefused extends Error {
  readonly code = 'EDESTINATION'
}

export interface OutboundRequest {
  headers: Record<string, string>
  body: string
  timeoutMs: number
}
export type OutboundPost = (url: string, req: OutboundRequest) => Promise<{ status: number }>

/** A dns lookup that fails when any address the name resolves to is internal. */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 4)
    const bad = addresses.find((a) => isInternalAddress(a.address))
    if (bad || addresses.length === 0) {
      const why = bad ? `resolves to an internal address (${bad.address})` : 'does not resolve'
      return callback(new DestinationRefused(`refused: ${hostname} ${why}`), '', 4)
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
    callback(null, addresses[0]!.address, addresses[0]!.family)
  })
}

/**
 * POSTs `body` to `url`. With `allowInternal: false` (production) internal destinations are
 * refused: IP literals before connecting (no lookup happens for them), names at lookup.
 */
export function createOutboundPost(opts: { allowInternal: boolean }): OutboundPost {
  return (url, req) =>
    guardedRequest(url, { ...req, method: 'POST', allowInternal: opts.allowInternal }, async (res) => {
      res.resume() // the receiver's answer is not read; free the socket
      return { status: res.statusCode ?? 0 }
    })
}

/** A fetch-shaped call (what openid-client's customFetch takes): method, headers, body, signal. */
export type OutboundFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: unknown; signal?: AbortSignal },
) => Promise<Response>

/**
 * Requests to an identity provider a tenant configured (SSO discovery, JWKS, token, userinfo),
 * under the same rule as webhooks: the address dialled is judged, redirects are not followed, the
 * answer is read up to `maxBytes` and the whole exchange ends within `timeoutMs`.
 */
export function createOutboundFetch(opts: {
  allowInternal: boolean
  timeoutMs: number
  maxBytes?: number
}): OutboundFetch {
  const maxBytes = opts.maxBytes ?? 1_048_576
  // async: a body it cannot send rejects, as every other failure does, rather than throwing.
  return async (url, init) =>
    guardedRequest(
      url,
      { ...init, allowInternal: opts.allowInternal, timeoutMs: opts.timeoutMs, body: bodyText(init.body) },
      (res, r) =>
        new Promise((resolve, reject) => {
          const chunks: Buffer[] = []
          let size = 0
          res.on('data', (c: Buffer) => {
            size += c.length
            if (size > maxBytes) r.destroy(new Error(`answer larger than ${maxBytes} bytes`))
            else chunks.push(c)
          })
          res.on('error', reject)
          res.on('end', () => {
            const h = new Headers()
            for (const [k, v] of Object.entries(res.headers))
              if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v)
            const status = res.statusCode ?? 0
            const nullBody = status === 204 || status === 304 || init.method === 'HEAD'
            resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: h }))
          })
        }),
    )
}

interface GuardedRequest {
  allowInternal: boolean
  method: string
  headers: Record<string, string>
  body: string | undefined
  timeoutMs: number
  signal?: AbortSignal | undefined
}

/**
 * One request under the guard: http(s) only, internal IP literals refused before connecting and
 * names judged at lookup, headers and answer within `timeoutMs` (a receiver that trickles counts
 * as failed), ended early by `signal`. `read` turns the answer into the result.
 */
function guardedRequest<T>(
  url: string,
  req: GuardedRequest,
  read: (res: IncomingMessage, r: ClientRequest) => Promise<T>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const u = new URL(url)
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      return reject(new DestinationRefused(`refused: ${u.protocol} is not http(s)`))
    const host = u.hostname.replace(/^\[|\]$/g, '')
    if (!req.allowInternal && isIP(host) && isInternalAddress(host))
      return reject(new DestinationRefused(`refused: ${host} is an internal address`))
    const client = u.protocol === 'https:' ? https : http
    const finish = () => {
      clearTimeout(timer)
      req.signal?.removeEventListener('abort', onAbort)
    }
    const headers = {
      ...req.headers,
      ...(req.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(req.body)) }),
    }
    const r = client.request(
      u,
      // agent: false: the process-wide agent keeps sockets alive (Node ≥ 19) and a pooled socket
      // skips the lookup, so one another caller opened to an internal host under the same name
      // would skip the guard. Every request dials and is judged; the cost is a new connection (and
      // TLS handshake) per webhook attempt and per provider call.
      {
        method: req.method,
        headers,
        agent: false,
        ...(req.allowInternal ? {} : { lookup: guardedLookup }),
      },
      (res) => void read(res, r).finally(finish).then(resolve, reject),
    )
    const timer = setTimeout(
      () =>
        r.destroy(Object.assign(new Error(`timed out after ${req.timeoutMs} ms`), { name: 'TimeoutError' })),
      req.timeoutMs,
    )
    const onAbort = () => r.destroy(Object.assign(new Error('aborted'), { name: 'AbortError' }))
    req.signal?.addEventListener('abort', onAbort, { once: true })
    r.on('error', (err) => {
      finish()
      reject(err)
    })
    r.end(req.body)
  })
}

/** The request bodies an OAuth client sends: form parameters or JSON text. */
function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string') return body
  if (body instanceof URLSearchParams) return body.toString()
  throw new TypeError('outbound fetch: only string and URLSearchParams bodies are sent')
}

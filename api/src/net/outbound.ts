import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import http from 'node:http'
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
    new Promise((resolve, reject) => {
      const u = new URL(url)
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        return reject(new DestinationRefused(`refused: ${u.protocol} is not http(s)`))
      const host = u.hostname.replace(/^\[|\]$/g, '')
      if (!opts.allowInternal && isIP(host) && isInternalAddress(host))
        return reject(new DestinationRefused(`refused: ${host} is an internal address`))
      const client = u.protocol === 'https:' ? https : http
      const r = client.request(
        u,
        {
          method: 'POST',
          headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
          ...(opts.allowInternal ? {} : { lookup: guardedLookup }),
        },
        (res) => {
          res.resume() // the receiver's answer is not read; free the socket
          clearTimeout(timer)
          resolve({ status: res.statusCode ?? 0 })
        },
      )
      // Headers and all within the attempt's time: a receiver that trickles counts as failed.
      const timer = setTimeout(
        () =>
          r.destroy(
            Object.assign(new Error(`timed out after ${req.timeoutMs} ms`), { name: 'TimeoutError' }),
          ),
        req.timeoutMs,
      )
      r.on('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      r.end(req.body)
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
  return (url, init) =>
    new Promise((resolve, reject) => {
      const u = new URL(url)
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        return reject(new DestinationRefused(`refused: ${u.protocol} is not http(s)`))
      const host = u.hostname.replace(/^\[|\]$/g, '')
      if (!opts.allowInternal && isIP(host) && isInternalAddress(host))
        return reject(new DestinationRefused(`refused: ${host} is an internal address`))
      const body = bodyText(init.body)
      const headers = {
        ...init.headers,
        ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
      }
      const client = u.protocol === 'https:' ? https : http
      const fail = (err: Error) => {
        clearTimeout(timer)
        init.signal?.removeEventListener('abort', onAbort)
        reject(err)
      }
      const r = client.request(
        u,
        // agent: false: a pooled keep-alive socket skips the lookup, so it would skip the guard too.
        {
          method: init.method,
          headers,
          agent: false,
          ...(opts.allowInternal ? {} : { lookup: guardedLookup }),
        },
        (res) => {
          const chunks: Buffer[] = []
          let size = 0
          res.on('data', (c: Buffer) => {
            size += c.length
            if (size > maxBytes) r.destroy(new Error(`answer larger than ${maxBytes} bytes`))
            else chunks.push(c)
          })
          res.on('error', fail)
          res.on('end', () => {
            clearTimeout(timer)
            init.signal?.removeEventListener('abort', onAbort)
            const h = new Headers()
            for (const [k, v] of Object.entries(res.headers))
              if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v)
            const status = res.statusCode ?? 0
            const nullBody = status === 204 || status === 304 || init.method === 'HEAD'
            resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: h }))
          })
        },
      )
      const timer = setTimeout(
        () =>
          r.destroy(
            Object.assign(new Error(`timed out after ${opts.timeoutMs} ms`), { name: 'TimeoutError' }),
          ),
        opts.timeoutMs,
      )
      const onAbort = () => r.destroy(Object.assign(new Error('aborted'), { name: 'AbortError' }))
      init.signal?.addEventListener('abort', onAbort, { once: true })
      r.on('error', fail)
      r.end(body)
    })
}

/** The request bodies an OAuth client sends: form parameters or JSON text. */
function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string') return body
  if (body instanceof URLSearchParams) return body.toString()
  throw new TypeError('outbound fetch: only string and URLSearchParams bodies are sent')
}

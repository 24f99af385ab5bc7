import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isInternalAddress } from './internal-address.js'
import { DestinationRefused, createOutboundFetch, createOutboundPost } from './outbound.js'

// The connect-time guard against a real receiver on this machine: with internal destinations
// refused (production), no spelling of a loopback destination gets a byte through — names are
// judged on what they resolve to, IP literals before connecting. Allowed (dev), the same receiver
// gets the POST: the refusal is the guard, not a broken request.

let server: Server
let port: number
const received: string[] = []
beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(`${req.method} ${req.headers.host}`)
    req.resume()
    res.writeHead(204).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  port = (server.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

const req = { headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2_000 }

describe('outgoing calls to tenant-configured URLs', () => {
  it('refuses every spelling of an internal destination, on the address dialled', async () => {
    const post = createOutboundPost({ allowInternal: false })
    const urls = [
      `http://localhost:${port}/`, // a name: judged at lookup, on what it resolves to
      `http://127.0.0.1:${port}/`,
      `http://127.1:${port}/`,
      `http://2130706433:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[::1]:${port}/`,
    ]
    for (const url of urls) await expect(post(url, req), url).rejects.toBeInstanceOf(DestinationRefused)
    await expect(post(`file:///etc/passwd`, req)).rejects.toBeInstanceOf(DestinationRefused)
    expect(received).toEqual([])
  })

  it('delivers to the same receiver when internal destinations are allowed (dev, tests)', async () => {
    const post = createOutboundPost({ allowInternal: true })
    expect(await post(`http://localhost:${port}/`, req)).toEqual({ status: 204 })
    expect(received).toHaveLength(1)
  })

  it('guards the identity-provider calls (SSO discovery, keys, token) the same way', async () => {
    const before = received.length
    const refused = createOutboundFetch({ allowInternal: false, timeoutMs: 2_000 })
    const get = { method: 'GET', headers: {} }
    for (const url of [`http://localhost:${port}/.well-known/openid-configuration`, `http://[::1]:${port}/`])
      await expect(refused(url, get), url).rejects.toBeInstanceOf(DestinationRefused)
    expect(received).toHaveLength(before)
    const allowed = createOutboundFetch({ allowInternal: true, timeoutMs: 2_000 })
    const res = await allowed(`http://localhost:${port}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code' }),
    })
    expect(res.status).toBe(204)
    expect(received.slice(before)).toEqual([`POST localhost:${port}`])
  })

  it('judges IPv4 and IPv6 ranges, and IPv6 that carries an IPv4 address', () => {
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fd12::1',
      'fe80::1',
      'ff02::1',
      '::ffff:10.0.0.1',
      '::ffff:a00:1',
      '64:ff9b::a9fe:a9fe',
      '2002:c0a8:1::',
    ])
      expect(isInternalAddress(ip), ip).toBe(true)
    for (const ip of ['8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2002:808:808::'])
      expect(isInternalAddress(ip), ip).toBe(false)
  })
})

import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasRedisServer, startRedis } from '../testing/redis-process.js'
import { buildApp } from '../app.js'
import { startTestApp, type TestApp } from '../testing/harness.js'

// Sign-in limits on real Redis (Debian's redis-server), two API replicas sharing it, clients told
// apart by address — the socket's, or X-Forwarded-For from a trusted proxy. Login limit 3/min
// per address, 15/min per account (×5), a known device exempt from the account's.

const LIMIT = 3
let redis: Awaited<ReturnType<typeof startRedis>>
let t: TestApp
let a: FastifyInstance
let b: FastifyInstance
let victim: { email: string; password: string }

const login = (app: FastifyInstance, ip: string, email: string, password: string, cookie?: string) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: ip,
    headers: cookie ? { cookie } : {},
    payload: { email, password },
  })

describe.skipIf(!hasRedisServer())('rate limits in Redis, shared by replicas', () => {
  beforeAll(async () => {
    redis = await startRedis()
    t = await startTestApp({ redisUrl: redis.url, loginLimitPerMinute: LIMIT })
    a = t.app
    // A second replica: its own Fastify instance and process state on the same stores (one chDB
    // per process), sharing with the first only what a second process would — Redis.
    b = await buildApp(t.deps)
    await b.ready()
    victim = { email: `victim-${Date.now()}@example.com`, password: 'correct horse battery' }
    const made = await a.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      remoteAddress: '192.0.2.1',
      payload: { ...victim, organizationName: 'Victim Shop', vertical: 'ecommerce' },
    })
    expect(made.statusCode, made.body).toBe(201)
  }, 120_000)
  afterAll(async () => {
    await b?.close()
    await t?.close()
    await redis?.stop()
  })

  it('one address gets LIMIT sign-in attempts across both replicas, not LIMIT on each', async () => {
    const ip = '203.0.113.7'
    const codes = []
    for (let i = 0; i < 4; i++)
      codes.push((await login(i % 2 ? b : a, ip, 'nobody@example.com', 'wrong-password')).statusCode)
    expect(codes).toEqual([401, 401, 401, 429])
  })

  it('a wrong-password flood from one address does not lock the real user out', async () => {
    for (let i = 0; i < LIMIT + 2; i++) await login(a, '198.51.100.1', victim.email, 'guess-' + i)
    expect((await login(a, '198.51.100.1', victim.email, victim.password)).statusCode).toBe(429)
    const r = await login(b, '192.0.2.44', victim.email, victim.password)
    expect(r.statusCode, r.body).toBe(200)
  })

  it('a distributed flood trips the account limit, except for a device the account used before', async () => {
    const known = await login(a, '192.0.2.50', victim.email, victim.password)
    const device = known.cookies.find((c) => c.name === 'luneo_device')!
    expect(device.httpOnly).toBe(true)
    // 6 addresses × 3 wrong guesses = 18 ≥ 15 for the account
    for (let n = 0; n < 6; n++)
      for (let i = 0; i < LIMIT; i++) await login(n % 2 ? b : a, `10.9.${n}.1`, victim.email, 'x' + i)
    expect((await login(a, '192.0.2.60', victim.email, victim.password)).statusCode).toBe(429)
    const r = await login(b, '192.0.2.61', victim.email, victim.password, `luneo_device=${device.value}`)
    expect(r.statusCode, r.body).toBe(200)
    // the device cookie is this account's: it does not open another account's limit
    expect(
      (await login(a, '192.0.2.62', 'someone@example.com', 'x', `luneo_device=${device.value}`)).statusCode,
    ).not.toBe(200)
  })
})

describe('the client address behind a proxy', () => {
  let t2: TestApp
  let trusted: FastifyInstance
  let direct: FastifyInstance
  beforeAll(async () => {
    t2 = await startTestApp({ loginLimitPerMinute: LIMIT })
    direct = t2.app
    trusted = await buildApp({ ...t2.deps, config: { ...t2.deps.config, trustProxy: ['127.0.0.1'] } })
    await trusted.ready()
  }, 120_000)
  afterAll(async () => {
    await trusted?.close()
    await t2?.close()
  })

  const viaProxy = (app: FastifyInstance, client: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': client },
      payload: { email: 'nobody@example.com', password: 'wrong-password' },
    })

  it('a trusted proxy’s clients each get their own limit', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await viaProxy(trusted, '198.51.100.10')).statusCode).toBe(401)
    expect((await viaProxy(trusted, '198.51.100.10')).statusCode).toBe(429)
    expect((await viaProxy(trusted, '198.51.100.11')).statusCode).toBe(401)
  })

  it('without a trusted proxy the header is ignored (a client cannot pick its own address)', async () => {
    for (let i = 0; i < LIMIT; i++) await viaProxy(direct, `198.51.100.${20 + i}`)
    expect((await viaProxy(direct, '198.51.100.99')).statusCode).toBe(429)
  })
})

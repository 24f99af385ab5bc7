import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REFRESH_COOKIE } from './auth/cookies.js'
import {
  addMember,
  as,
  createKey,
  signup,
  startTestApp,
  type Session,
  type TestApp,
} from './testing/harness.js'

// Access that ends (a review: "a departed admin keeps access for ever"): members removed or
// re-roled lose their sessions at once, sessions end 90 days after sign-in however often they are
// refreshed, API keys expire and rotate, and inviting by email tells nothing about the email.

let t: TestApp
let owner: Session
let ownerKey: string
beforeAll(async () => {
  t = await startTestApp()
  owner = await signup(t.app, 'ecommerce')
  ownerKey = await createKey(t.app, owner, ['admin'])
})
afterAll(async () => t?.close())

const me = (who: Session | string) =>
  t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: as(who) })
const membershipOf = async (userId: string) => {
  const list = await t.app.inject({ method: 'GET', url: '/api/v1/members?limit=200', headers: as(ownerKey) })
  return (list.json().items as { id: string; userId: string; role: string }[]).find(
    (m) => m.userId === userId,
  )
}

describe('members', () => {
  it('changing a role ends the member’s sessions at once; the new role holds after signing in again', async () => {
    const admin = await addMember(t.app, owner, 'admin')
    expect((await me(admin)).statusCode).toBe(200)
    const m = (await membershipOf(admin.userId))!
    const r = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/members/${m.id}`,
      headers: as(owner),
      payload: { role: 'viewer' },
    })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({ id: m.id, role: 'viewer' })
    expect((await me(admin)).statusCode).toBe(401) // the old session is gone, not merely downgraded
    expect((await membershipOf(admin.userId))!.role).toBe('viewer')
  })

  it('removing a member ends their access at once, and is audited', async () => {
    const analyst = await addMember(t.app, owner, 'analyst')
    const m = (await membershipOf(analyst.userId))!
    const r = await t.app.inject({ method: 'DELETE', url: `/api/v1/members/${m.id}`, headers: as(owner) })
    expect(r.statusCode, r.body).toBe(204)
    expect((await me(analyst)).statusCode).toBe(401)
    expect(await membershipOf(analyst.userId)).toBeUndefined()
    const log = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit-log?limit=200',
      headers: as(ownerKey),
    })
    expect(log.json().items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['member.removed', 'member.role_changed']),
    )
  })

  it('an admin cannot grant or touch an owner; the organization always keeps an owner', async () => {
    const admin = await addMember(t.app, owner, 'admin')
    const ownerMembership = (await membershipOf(owner.userId))!
    const viewer = await addMember(t.app, owner, 'viewer')
    const vm = (await membershipOf(viewer.userId))!
    const patch = (who: Session, id: string, role: string) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1/members/${id}`, headers: as(who), payload: { role } })
    expect((await patch(admin, vm.id, 'owner')).statusCode).toBe(403)
    expect((await patch(admin, ownerMembership.id, 'viewer')).statusCode).toBe(403)
    const last = await patch(owner, ownerMembership.id, 'admin')
    expect([last.statusCode, last.json().code]).toEqual([409, 'conflict'])
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/members/${ownerMembership.id}`,
      headers: as(owner),
    })
    expect(del.statusCode).toBe(409)
    expect((await me(owner)).json().role).toBe('owner') // nothing changed
  })

  it('inviting an email answers the same whether or not it has an account; the account joins with its password', async () => {
    const other = await signup(t.app, 'real_estate') // someone with an account elsewhere
    const email = (await me(other)).json().user.email as string
    const invite = (address: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/members',
        headers: as(owner),
        payload: { email: address, role: 'viewer' },
      })
    const known = await invite(email)
    const unknown = await invite(`nobody-${Date.now()}@example.com`)
    const shape = (r: Awaited<ReturnType<typeof invite>>) => {
      const { id: _id, email: _e, createdAt: _c, inviteToken, ...rest } = r.json()
      return { http: r.statusCode, ...rest, token: typeof inviteToken }
    }
    expect(shape(known)).toEqual(shape(unknown))
    expect(shape(known)).toMatchObject({
      http: 201,
      status: 'invited',
      userId: null,
      name: null,
      // No mail server in this suite: the email went to the log, and the link is shown once.
      emailDelivery: 'log',
      token: 'string',
    })
    const accept = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/accept-invite',
        remoteAddress: '10.251.0.1',
        payload: { token: known.json().inviteToken, password },
      })
    expect((await accept('not the password')).statusCode).toBe(401) // the invitation is not an account
    const joined = await accept('correct horse battery')
    expect(joined.statusCode, joined.body).toBe(201)
    expect(joined.json().organization.id).toBe(owner.organizationId)
    // Without a mail server the inviter saw the token: accepting proves nothing about the address.
    expect(joined.json().user.emailVerified).toBe(false)
  })
})

describe('sessions', () => {
  const refresh = (who: Session) => {
    const refreshToken = /luneo_rt=([^;]+)/.exec(who.cookie)?.[1]
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      headers: {
        cookie: `${REFRESH_COOKIE}=${refreshToken}; luneo_csrf=${who.csrf}`,
        'x-csrf-token': who.csrf,
      },
    })
  }
  const backdate = (userId: string, days: number) =>
    sql`UPDATE sessions SET created_at = now() - make_interval(days => ${days}) WHERE user_id = ${userId}`.execute(
      t.deps.db,
    )
  const expiry = async (userId: string) =>
    await t.deps.db
      .selectFrom('sessions')
      .select(['expires_at', 'created_at'])
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow()

  it('refreshing never pushes a session past 90 days after sign-in', async () => {
    const s = await signup(t.app, 'ecommerce')
    await backdate(s.userId, 80)
    const r = await refresh(s)
    expect(r.statusCode, r.body).toBe(200)
    const e = await expiry(s.userId)
    // 30 days on would be day 110: capped at day 90
    expect(e.expires_at.getTime() - e.created_at.getTime()).toBe(90 * 24 * 3600 * 1000)
  })

  it('a session older than 90 days cannot be refreshed', async () => {
    const s = await signup(t.app, 'ecommerce')
    await backdate(s.userId, 91)
    expect((await refresh(s)).statusCode).toBe(401)
  })
})

describe('API keys', () => {
  const create = (payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: as(owner), payload })

  it('an expiring key works until it expires, and says when', async () => {
    const k = await create({ name: 'ci', scopes: ['analytics:read'], expiresInDays: 30 })
    expect(k.statusCode, k.body).toBe(201)
    const days = (Date.parse(k.json().endsAt) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(29.9)
    expect(days).toBeLessThanOrEqual(30)
    const call = () =>
      t.app.inject({ method: 'GET', url: '/api/v1/analytics/catalogue', headers: as(k.json().secret) })
    expect((await call()).statusCode).toBe(200)
    await sql`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = ${k.json().id}`.execute(
      t.deps.db,
    )
    t.deps.keyCache?.evictKey(k.json().id) // this replica cached it 5 s: the expiry is in Postgres
    expect((await call()).statusCode).toBe(401)
  })

  it('rotation: a new secret at once, the old one for the grace period only', async () => {
    const k = (await create({ name: 'deploy', scopes: ['analytics:read'] })).json()
    const call = (secret: string) =>
      t.app.inject({ method: 'GET', url: '/api/v1/analytics/catalogue', headers: as(secret) })
    const rotate = (id: string, graceHours: number) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/api-keys/${id}/rotate`,
        headers: as(owner),
        payload: { graceHours },
      })
    const graced = await rotate(k.id, 2)
    expect(graced.statusCode, graced.body).toBe(201)
    expect(graced.json()).toMatchObject({ name: 'deploy', scopes: ['analytics:read'] })
    expect((await call(graced.json().secret)).statusCode).toBe(200)
    expect((await call(k.secret)).statusCode).toBe(200) // still inside its 2 hours
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/api-keys?limit=200', headers: as(owner) })
    const old = list.json().items.find((x: { id: string }) => x.id === k.id)
    expect((Date.parse(old.endsAt) - Date.now()) / 3_600_000).toBeCloseTo(2, 1)
    // rotating the new one at once: its secret stops now
    const now = await rotate(graced.json().id, 0)
    expect((await call(graced.json().secret)).statusCode).toBe(401)
    expect((await call(now.json().secret)).statusCode).toBe(200)
  })
})

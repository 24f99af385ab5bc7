import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { as, sessionFrom, signup, startTestApp, type Session, type TestApp } from './testing/harness.js'
import { authorizeAtProvider, startOidcProvider, type TestProvider } from './testing/oidc-provider.js'
import { ProviderError, providerConfig } from './auth/oidc.js'

// Sign-in through an organization's OpenID Connect provider against a real one (oidc-provider on a
// loopback port): the authorization code flow with PKCE, state and nonce, walked through the
// provider's own login and consent pages; linking by verified email only; invitations; refusals
// that write nothing and tell nothing; and "members must use SSO" (ADR 0020).

const PUBLIC = 'http://luneo.test'
const CALLBACK = `${PUBLIC}/api/v1/auth/sso/callback`
const DOMAIN = 'acme.test'
const PASSWORD = 'correct horse battery'

let t: TestApp
let idp: TestProvider
let owner: Session
let other: Session // a second organization, where "outsider" has an account
let ip = 0

const accounts = {
  invited: { email: `invited@${DOMAIN}`, emailVerified: true, name: 'Ines Invited' },
  member: { email: `member@${DOMAIN}`, emailVerified: true },
  unverified: { email: `unverified@${DOMAIN}`, emailVerified: false },
  stranger: { email: `stranger@${DOMAIN}`, emailVerified: true },
  outsider: { email: `outsider@${DOMAIN}`, emailVerified: true },
  boss: { email: `boss@${DOMAIN}`, emailVerified: true },
}

const inject = (opts: InjectOptions) =>
  t.app.inject({ remoteAddress: `10.77.${(ip >> 8) & 255}.${++ip & 255}`, ...opts })

/** Invites an email into the owner's organization; returns the invitation token. */
async function invite(email: string, role = 'analyst', by: Session = owner): Promise<string> {
  const r = await inject({
    method: 'POST',
    url: '/api/v1/members',
    headers: as(by),
    payload: { email, role },
  })
  expect(r.statusCode, r.body).toBe(201)
  return r.json().inviteToken
}

async function configure(enforced = false, extra: Record<string, unknown> = {}) {
  return inject({
    method: 'PUT',
    url: '/api/v1/organization/sso',
    headers: as(owner),
    payload: {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      domain: DOMAIN,
      enforced,
      ...extra,
    },
  })
}

/** POST /auth/sso/start: the provider's URL and the flow cookie. */
async function start(email: string): Promise<{ url: string; cookie: string }> {
  const r = await inject({ method: 'POST', url: '/api/v1/auth/sso/start', payload: { email } })
  expect(r.statusCode, r.body).toBe(200)
  const flow = r.cookies.find((c) => c.name === 'luneo_sso')!
  expect(flow.httpOnly).toBe(true)
  expect(flow.path).toBe('/api/v1/auth/sso')
  return { url: r.json().authorizationUrl, cookie: `luneo_sso=${flow.value}` }
}

const callback = (at: URL, cookie: string, accept = 'application/json') =>
  inject({ method: 'GET', url: `${at.pathname}${at.search}`, headers: { cookie, accept } })

/** The whole flow for a provider account; returns the callback's answer. */
async function signInAs(login: keyof typeof accounts, email = accounts[login].email) {
  const { url, cookie } = await start(email)
  return callback(await authorizeAtProvider(url, login, CALLBACK), cookie)
}

const me = (res: LightMyRequestResponse) =>
  inject({ method: 'GET', url: '/api/v1/auth/me', headers: as(sessionFrom(res)) })

const login = (email: string, password = PASSWORD) =>
  inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } })

const userRow = (email: string) =>
  t.deps.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()

beforeAll(async () => {
  t = await startTestApp({ publicUrl: PUBLIC })
  idp = await startOidcProvider({ redirectUris: [CALLBACK], accounts })
  owner = await signup(t.app, 'ecommerce', 'Acme')
  other = await signup(t.app, 'ecommerce', 'Elsewhere')
}, 120_000)
afterAll(async () => {
  await idp?.stop()
  await t?.close()
})

describe('SSO settings', () => {
  it('refuses an issuer that does not answer discovery, and saves one that does', async () => {
    const bad = await configure(false, { issuer: 'http://127.0.0.1:9/' })
    expect(bad.statusCode, bad.body).toBe(422)
    expect(bad.json().code).toBe('sso_issuer_invalid')
    const before = await inject({ method: 'GET', url: '/api/v1/organization/sso', headers: as(owner) })
    expect(before.json()).toMatchObject({ configured: false, redirectUri: CALLBACK })

    // Typed with a trailing slash: saved as the provider names itself (what its ID tokens carry).
    const r = await configure(false, { issuer: `${idp.issuer}/` })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({
      configured: true,
      issuer: idp.issuer,
      clientId: idp.clientId,
      hasClientSecret: true,
      domain: DOMAIN,
      enforced: false,
      redirectUri: CALLBACK,
    })
    // Discovery was fetched from the provider, through the outbound layer.
    expect(idp.requests).toContain('GET /.well-known/openid-configuration')
  })

  it('in production refuses plain http and judges the provider’s address: no byte reaches a loopback issuer', async () => {
    const before = idp.requests.length
    const settings = { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret }
    const production = { allowInternal: false, timeoutMs: 2_000 }
    await expect(providerConfig(settings, production)).rejects.toThrow(/HTTPS/)
    // The same provider named over https (a name and an IP literal): refused at the outbound guard,
    // on the address, before any TLS handshake.
    const port = new URL(idp.issuer).port
    for (const issuer of [`https://localhost:${port}`, `https://127.0.0.1:${port}`]) {
      const err = await providerConfig({ ...settings, issuer }, production).catch((e: unknown) => e)
      expect(err, issuer).toBeInstanceOf(ProviderError)
      expect(String(err), issuer).toMatch(/internal address/)
    }
    expect(idp.requests.length).toBe(before)
  })

  it('never returns the client secret, and stores it encrypted', async () => {
    const r = await inject({ method: 'GET', url: '/api/v1/organization/sso', headers: as(owner) })
    expect(r.body).not.toContain(idp.clientSecret)
    const row = await t.deps.db
      .selectFrom('sso_configs')
      .selectAll()
      .where('organization_id', '=', owner.organizationId)
      .executeTakeFirstOrThrow()
    expect(row.client_secret_enc).toMatch(/^v1\./)
    expect(row.client_secret_enc).not.toContain(idp.clientSecret)
    // Saving again without the secret keeps it (the flows below still authenticate with it).
    const again = await configure(false, { clientSecret: undefined })
    expect(again.json().hasClientSecret).toBe(true)
    const audit = await t.deps.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('organization_id', '=', owner.organizationId)
      .where('action', '=', 'sso.configured')
      .execute()
    expect(audit).toHaveLength(2)
    expect(JSON.stringify(audit)).not.toContain(idp.clientSecret)
  })

  it('refuses a domain another organization already routes to its provider', async () => {
    const r = await inject({
      method: 'PUT',
      url: '/api/v1/organization/sso',
      headers: as(other),
      payload: { issuer: idp.issuer, clientId: idp.clientId, domain: DOMAIN.toUpperCase(), enforced: false },
    })
    expect(r.statusCode, r.body).toBe(409)
    expect(r.json().code).toBe('conflict')
    // …and that organization's own settings show nothing of the first one's.
    const theirs = await inject({ method: 'GET', url: '/api/v1/organization/sso', headers: as(other) })
    expect(theirs.json()).toMatchObject({ configured: false, issuer: null, domain: null })
  })

  it('refuses enforcement before anyone signed in through the provider (no lock-out by a wrong setting)', async () => {
    const r = await configure(true)
    expect(r.statusCode, r.body).toBe(409)
    expect(
      (await inject({ method: 'GET', url: '/api/v1/organization/sso', headers: as(owner) })).json().enforced,
    ).toBe(false)
  })

  it('answers an unknown domain with sso_not_configured', async () => {
    const r = await inject({
      method: 'POST',
      url: '/api/v1/auth/sso/start',
      payload: { email: 'a@nowhere.test' },
    })
    expect(r.statusCode).toBe(404)
    expect(r.json().code).toBe('sso_not_configured')
  })
})

describe('signing in through the provider', () => {
  it('signs an invited email in for the first time: a new account, the invitation’s role, session cookies like a password login', async () => {
    await invite(accounts.invited.email, 'analyst')
    expect(await userRow(accounts.invited.email)).toBeUndefined()
    const res = await signInAs('invited')
    expect(res.statusCode, res.body).toBe(303)
    expect(res.headers.location).toBe('/')
    const names = res.cookies.map((c) => c.name).sort()
    expect(names).toEqual(expect.arrayContaining(['luneo_at', 'luneo_csrf', 'luneo_rt']))
    const rt = res.cookies.find((c) => c.name === 'luneo_rt')!
    expect(rt).toMatchObject({ httpOnly: true, path: '/api/v1/auth', sameSite: 'Lax' })
    const who = await me(res)
    expect(who.json()).toMatchObject({
      user: { email: accounts.invited.email, name: 'Ines Invited' },
      organization: { id: owner.organizationId },
      role: 'analyst',
    })
    const user = await userRow(accounts.invited.email)
    expect(user?.email_verified_at).toBeInstanceOf(Date)
    // An account made by SSO has no password: the password form never opens it.
    expect((await login(accounts.invited.email, 'any password at all')).json().code).toBe(
      'invalid_credentials',
    )
    // The session refreshes like any other.
    const s = sessionFrom(res)
    const refreshed = await inject({ method: 'POST', url: '/api/v1/auth/refresh', headers: as(s) })
    expect(refreshed.statusCode, refreshed.body).toBe(200)
  })

  it('links an existing password account by its verified email, and knows the subject afterwards', async () => {
    const token = await invite(accounts.member.email, 'viewer')
    const accepted = await inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token, password: PASSWORD },
    })
    expect(accepted.statusCode, accepted.body).toBe(201)
    const userId = accepted.json().user.id
    expect((await userRow(accounts.member.email))?.email_verified_at).toBeNull()

    const res = await signInAs('member')
    expect(res.statusCode, res.body).toBe(303)
    expect((await me(res)).json()).toMatchObject({ user: { id: userId }, role: 'viewer' })
    expect((await userRow(accounts.member.email))?.email_verified_at).toBeInstanceOf(Date)
    const links = await t.deps.db
      .selectFrom('sso_identities')
      .selectAll()
      .where('user_id', '=', userId)
      .execute()
    expect(links).toEqual([
      expect.objectContaining({
        organization_id: owner.organizationId,
        issuer: idp.issuer,
        subject: 'member',
      }),
    ])
    // Second time: found by subject, nothing new linked; the password still works (not enforced).
    const again = await signInAs('member')
    expect(again.statusCode, again.body).toBe(303)
    expect(
      await t.deps.db.selectFrom('sso_identities').selectAll().where('user_id', '=', userId).execute(),
    ).toHaveLength(1)
    expect((await login(accounts.member.email)).statusCode).toBe(200)
  })

  it('refuses when the provider has not verified the email, and writes nothing', async () => {
    await invite(accounts.unverified.email, 'analyst')
    const res = await signInAs('unverified')
    expect(res.statusCode, res.body).toBe(403)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.json().code).toBe('sso_email_unverified')
    expect(res.cookies.find((c) => c.name === 'luneo_at')).toBeUndefined()
    expect(await userRow(accounts.unverified.email)).toBeUndefined()
    const open = await t.deps.db
      .selectFrom('invitations')
      .select('accepted_at')
      .where('email', '=', accounts.unverified.email)
      .executeTakeFirstOrThrow()
    expect(open.accepted_at).toBeNull()
  })

  it('refuses someone neither a member nor invited, the same way whether or not they have an account here', async () => {
    // "outsider" has a password account, in another organization; "stranger" has none.
    const inv = await inject({
      method: 'POST',
      url: '/api/v1/members',
      headers: as(other),
      payload: { email: accounts.outsider.email, role: 'viewer' },
    })
    await inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token: inv.json().inviteToken, password: PASSWORD },
    })
    const a = await signInAs('stranger')
    const b = await signInAs('outsider')
    for (const r of [a, b]) {
      expect(r.statusCode, r.body).toBe(403)
      expect(r.json().code).toBe('sso_no_access')
    }
    const strip = (r: LightMyRequestResponse) => {
      const { instance: _i, requestId: _r, ...rest } = r.json()
      return rest
    }
    expect(strip(a)).toEqual(strip(b))
    expect(await userRow(accounts.stranger.email)).toBeUndefined()
  })

  it('sends a browser back to the sign-in page with the reason', async () => {
    const { url, cookie } = await start(accounts.stranger.email)
    const res = await callback(await authorizeAtProvider(url, 'stranger', CALLBACK), cookie, 'text/html,*/*')
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/sign-in?sso=sso_no_access')
  })
})

describe('tampering', () => {
  it('refuses a callback whose state was changed', async () => {
    const { url, cookie } = await start(accounts.member.email)
    const back = await authorizeAtProvider(url, 'member', CALLBACK)
    back.searchParams.set('state', 'forged-state')
    const r = await callback(back, cookie)
    expect(r.statusCode, r.body).toBe(401)
    expect(r.json().code).toBe('sso_failed')
  })

  it('refuses a code issued for another PKCE challenge (the verifier in the flow cookie does not match)', async () => {
    const { url, cookie } = await start(accounts.member.email)
    const forged = new URL(url)
    // An attacker's challenge: the code is bound to it, and our verifier cannot redeem it.
    forged.searchParams.set('code_challenge', 'Y4w2Jc6jCk1Q8X3d0qYQWq3J0tB9L2HkXh1q2c3Vz0A')
    const r = await callback(await authorizeAtProvider(forged.href, 'member', CALLBACK), cookie)
    expect(r.statusCode, r.body).toBe(401)
    expect(r.json().code).toBe('sso_failed')
  })

  it('refuses a callback without the flow cookie, with another browser’s, or replayed', async () => {
    const first = await start(accounts.member.email)
    const second = await start(accounts.member.email)
    const back = await authorizeAtProvider(first.url, 'member', CALLBACK)
    for (const cookie of ['', second.cookie, 'luneo_sso=v1.bm90.YQ.YQ']) {
      const r = await callback(back, cookie)
      expect(r.statusCode, `${cookie}: ${r.body}`).toBe(401)
      expect(r.json().code).toBe('sso_failed')
    }
    // Providers add parameters of their own (Google: scope, authuser, prompt): they are no reason to refuse.
    back.searchParams.set('authuser', '0')
    const ok = await callback(back, first.cookie)
    expect(ok.statusCode, ok.body).toBe(303)
    const replay = await callback(back, first.cookie)
    expect(replay.statusCode).toBe(401)
  })
})

describe('members must use SSO', () => {
  it('when turned on, ends members’ password sessions and refuses their password sign-in, keeping owners as break-glass', async () => {
    const memberPassword = await login(accounts.member.email)
    expect(memberPassword.statusCode).toBe(200)
    const memberSession = sessionFrom(memberPassword)
    const ssoSession = sessionFrom(await signInAs('member'))

    const r = await configure(true, { clientSecret: undefined })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json().enforced).toBe(true)

    // The password session ended at once; the SSO one goes on.
    expect(
      (await inject({ method: 'GET', url: '/api/v1/auth/me', headers: as(memberSession) })).statusCode,
    ).toBe(401)
    expect(
      (await inject({ method: 'GET', url: '/api/v1/auth/me', headers: as(ssoSession) })).statusCode,
    ).toBe(200)

    const refused = await login(accounts.member.email)
    expect(refused.statusCode, refused.body).toBe(403)
    expect(refused.json().code).toBe('sso_required')
    expect(refused.cookies.find((c) => c.name === 'luneo_at')).toBeUndefined()
    // …but only after the right password: a wrong one still says only "wrong".
    expect((await login(accounts.member.email, 'wrong password!')).json().code).toBe('invalid_credentials')

    // Accepting an invitation with a password is refused too (the first SSO sign-in accepts it).
    const token = await invite(accounts.boss.email, 'admin')
    const accept = await inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token, password: PASSWORD },
    })
    expect(accept.json().code).toBe('sso_required')
    const boss = await signInAs('boss')
    expect(boss.statusCode, boss.body).toBe(303)
    expect((await me(boss)).json().role).toBe('admin')

    // The owner keeps password sign-in, and it is recorded.
    const ownerEmail = (await inject({ method: 'GET', url: '/api/v1/auth/me', headers: as(owner) })).json()
      .user.email
    const breakGlass = await login(ownerEmail)
    expect(breakGlass.statusCode, breakGlass.body).toBe(200)
    const rows = await t.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('organization_id', '=', owner.organizationId)
      .where('action', 'in', ['sso.break_glass_sign_in', 'sso.signed_in'])
      .execute()
    expect(rows.filter((x) => x.action === 'sso.break_glass_sign_in')).toHaveLength(1)
    expect(rows.filter((x) => x.action === 'sso.signed_in').length).toBeGreaterThanOrEqual(4)
  })

  it('refuses switching into the enforcing organization from a password session elsewhere', async () => {
    // The outsider (member of the other organization) is invited here as a viewer and accepts via SSO.
    await invite(accounts.outsider.email, 'viewer')
    expect((await signInAs('outsider')).statusCode).toBe(303)
    const elsewhere = await login(accounts.outsider.email) // lands in the organization that admits passwords
    expect(elsewhere.statusCode, elsewhere.body).toBe(200)
    expect(elsewhere.json().organization.id).toBe(other.organizationId)
    const sw = await inject({
      method: 'POST',
      url: '/api/v1/auth/switch-organization',
      headers: as(sessionFrom(elsewhere)),
      payload: { organizationId: owner.organizationId },
    })
    expect(sw.statusCode, sw.body).toBe(403)
    expect(sw.json().code).toBe('sso_required')
  })

  it('when removed, password sign-in works again', async () => {
    const del = await inject({ method: 'DELETE', url: '/api/v1/organization/sso', headers: as(owner) })
    expect(del.statusCode).toBe(204)
    expect((await login(accounts.member.email)).statusCode).toBe(200)
    const r = await inject({
      method: 'POST',
      url: '/api/v1/auth/sso/start',
      payload: { email: accounts.member.email },
    })
    expect(r.json().code).toBe('sso_not_configured')
  })
})

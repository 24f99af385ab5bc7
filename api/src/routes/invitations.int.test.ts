import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.js'
import { EmailDispatcher } from '../email/email-dispatcher.js'
import { createSmtpMailer } from '../email/mailer.js'
import { as, sessionFrom, startTestApp, type Session, type TestApp } from '../testing/harness.js'
import { linkIn, startSmtpInbox, type ReceivedMail, type SmtpInbox } from '../testing/smtp-inbox.js'

// Invitations by email through a REAL SMTP server: the accept link only travels in the email (the
// API returns no token when a mail server is configured), and pending invitations can be listed,
// sent again (a new link; the old one dies) and cancelled (the link dies).

const DASHBOARD = 'https://app.luneo.test'
let inbox: SmtpInbox
let t: TestApp
let dispatcher: EmailDispatcher | undefined
let owner: Session & { email: string }
let n = 0

async function signUp(email: string, organizationName: string): Promise<Session & { email: string }> {
  n += 1
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    remoteAddress: `10.78.0.${n}`,
    payload: { email, password: 'correct horse battery', organizationName, vertical: 'ecommerce' },
  })
  expect(r.statusCode, r.body).toBe(201)
  const me = r.json()
  return { ...sessionFrom(r), organizationId: me.organization.id, userId: me.user.id, email }
}

const invite = (email: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/members',
    headers: as(owner),
    payload: { email, role: 'analyst' },
  })
const accept = (token: string, password = 'correct horse battery') =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/accept-invite',
    remoteAddress: `10.79.0.${++n}`,
    payload: { token, password },
  })
const pending = async () => {
  const r = await t.app.inject({ method: 'GET', url: '/api/v1/invitations', headers: as(owner) })
  expect(r.statusCode, r.body).toBe(200)
  return r.json().items as { id: string; email: string; role: string; status: string; expiresAt: string }[]
}

beforeAll(async () => {
  inbox = await startSmtpInbox()
  const config = loadConfig({ NODE_ENV: 'test', SMTP_URL: inbox.url, LUNEO_DASHBOARD_URL: DASHBOARD })
  t = await startTestApp({ email: config.email }, { onEmailQueued: () => dispatcher?.nudge() })
  dispatcher = new EmailDispatcher(t.deps.db, createSmtpMailer(inbox.url, config.email.from), { idleMs: 50 })
  dispatcher.start()
  owner = await signUp(`inviter-${Date.now()}@example.com`, 'Acme Shop')
  await inbox.next(owner.email) // its own verification email
}, 120_000)
afterAll(async () => {
  await dispatcher?.stop()
  await t?.close()
  await inbox?.close()
})

describe('invitations by email', () => {
  it('the accept link travels only in the email, and following it joins the organization', async () => {
    const email = `analyst-${Date.now()}@example.com`
    const r = await invite(email)
    expect(r.statusCode, r.body).toBe(201)
    expect(r.json()).toMatchObject({ status: 'invited', email, role: 'analyst', emailDelivery: 'smtp' })
    expect(r.json()).not.toHaveProperty('inviteToken')

    const mail = await inbox.next(email)
    expect(mail.subject).toBe('You are invited to join Acme Shop on Luneo')
    expect(mail.text).toContain(`${owner.email} invited you to join Acme Shop on Luneo as analyst`)
    const link = linkIn(mail, 'accept-invite')
    expect(link.url.startsWith(`${DASHBOARD}/accept-invite#`)).toBe(true)

    const joined = await accept(link.token)
    expect(joined.statusCode, joined.body).toBe(201)
    expect(joined.json()).toMatchObject({ organization: { id: owner.organizationId }, role: 'analyst' })
    // The link only ever travelled to this address: accepting it proved the address.
    expect(joined.json().user.emailVerified).toBe(true)
    expect((await pending()).map((i) => i.email)).not.toContain(email) // accepted: no longer pending
    expect((await accept(link.token)).statusCode).toBe(404) // single use
  })

  it('inviting an address with an account elsewhere answers and mails exactly as for a new one', async () => {
    const elsewhere = await signUp(`has-account-${Date.now()}@example.com`, 'Other Co')
    await inbox.next(elsewhere.email)
    const fresh = `fresh-${Date.now()}@example.com`
    const known = await invite(elsewhere.email)
    const unknown = await invite(fresh)
    const shape = (res: typeof known) => {
      const { id: _i, email: _e, createdAt: _c, ...rest } = res.json()
      return { http: res.statusCode, ...rest }
    }
    expect(shape(known)).toEqual(shape(unknown))
    const same = (m: ReceivedMail, address: string) => ({
      subject: m.subject,
      text: m.text
        .replace(/#\S+/, '#TOKEN')
        .replace(/until .* GMT/, 'until DATE')
        .replace(address, 'ADDRESS'),
    })
    expect(same(await inbox.next(elsewhere.email), elsewhere.email)).toEqual(
      same(await inbox.next(fresh), fresh),
    )
  })

  it('pending invitations are listed; resend mails a new link and the old one stops working', async () => {
    const email = `late-${Date.now()}@example.com`
    const created = await invite(email)
    const id = created.json().id as string
    const first = linkIn(await inbox.next(email), 'accept-invite')

    const listed = (await pending()).find((i) => i.id === id)
    expect(listed).toMatchObject({ email, role: 'analyst', status: 'pending' })

    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/invitations/${id}/resend`,
      headers: as(owner),
    })
    expect(again.statusCode, again.body).toBe(200)
    expect(again.json()).toMatchObject({ id, email, status: 'pending', emailDelivery: 'smtp' })
    expect(again.json()).not.toHaveProperty('inviteToken')
    const second = linkIn(await inbox.next(email), 'accept-invite')
    expect(second.token).not.toBe(first.token)

    expect((await accept(first.token)).statusCode).toBe(404)
    expect((await accept(second.token)).statusCode).toBe(201)
    const gone = await t.app.inject({
      method: 'POST',
      url: `/api/v1/invitations/${id}/resend`,
      headers: as(owner),
    })
    expect(gone.statusCode).toBe(404) // accepted: nothing to resend
  })

  it('cancel revokes the link at once; cancelling twice is a 404', async () => {
    const email = `changed-mind-${Date.now()}@example.com`
    const id = (await invite(email)).json().id as string
    const link = linkIn(await inbox.next(email), 'accept-invite')
    const del = () => t.app.inject({ method: 'DELETE', url: `/api/v1/invitations/${id}`, headers: as(owner) })
    expect((await del()).statusCode).toBe(204)
    expect((await pending()).map((i) => i.id)).not.toContain(id)
    expect((await accept(link.token)).statusCode).toBe(404)
    expect((await del()).statusCode).toBe(404)
  })

  it('resending one invitation is limited per hour (it mails the invitee each time)', async () => {
    const email = `spam-target-${Date.now()}@example.com`
    const id = (await invite(email)).json().id as string
    await inbox.next(email)
    const resend = () =>
      t.app.inject({ method: 'POST', url: `/api/v1/invitations/${id}/resend`, headers: as(owner) })
    const limit = t.deps.config.email.resendLimitPerHour
    for (let i = 0; i < limit; i++) expect((await resend()).statusCode).toBe(200)
    const refused = await resend()
    expect(refused.statusCode).toBe(429)
    expect(refused.json().code).toBe('rate_limited')
    for (let i = 0; i < limit; i++) await inbox.next(email) // exactly `limit` more emails, no more
    expect(inbox.messages.filter((m) => m.to.includes(email))).toHaveLength(1 + limit)
  })
})

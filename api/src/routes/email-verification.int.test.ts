import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enqueueEmail, newId } from '@luneo/warehouse'
import { loadConfig } from '../config.js'
import { EmailDispatcher } from '../email/email-dispatcher.js'
import { createLogMailer, createSmtpMailer } from '../email/mailer.js'
import { as, sessionFrom, startTestApp, type TestApp } from '../testing/harness.js'
import { linkIn, startSmtpInbox, type SmtpInbox } from '../testing/smtp-inbox.js'

// Outgoing email through a REAL SMTP server (smtp-server on a loopback port): the API queues the
// email in the request's transaction, the dispatcher sends it with nodemailer, the test reads the
// received message, parses the link out of its text and follows it — as the recipient would.

const DASHBOARD = 'https://app.luneo.test'
const RESEND_LIMIT = 3
const REFUSED = 'greylisted@example.com'
let inbox: SmtpInbox
let t: TestApp
let dispatcher: EmailDispatcher | undefined
let n = 0

async function signUp(email: string) {
  n += 1
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    remoteAddress: `10.77.0.${n}`,
    payload: {
      email,
      password: 'correct horse battery',
      organizationName: `Shop ${n}`,
      vertical: 'ecommerce',
    },
  })
  expect(r.statusCode, r.body).toBe(201)
  return { ...sessionFrom(r), me: r.json() }
}

const me = async (who: { cookie: string; csrf: string }) =>
  (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: as(who) })).json()
const verify = (token: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } })
const resend = (who: { cookie: string; csrf: string }) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/verification-email', headers: as(who) })

beforeAll(async () => {
  inbox = await startSmtpInbox(new Set([REFUSED]))
  const config = loadConfig({
    NODE_ENV: 'test',
    SMTP_URL: inbox.url,
    LUNEO_MAIL_FROM: 'Luneo <mail@luneo.test>',
    LUNEO_DASHBOARD_URL: DASHBOARD,
    LUNEO_EMAIL_RESEND_LIMIT_PER_HOUR: String(RESEND_LIMIT),
  })
  t = await startTestApp({ email: config.email }, { onEmailQueued: () => dispatcher?.nudge() })
  dispatcher = new EmailDispatcher(t.deps.db, createSmtpMailer(inbox.url, config.email.from), {
    idleMs: 50,
    onError: (err) => console.error(err),
  })
  dispatcher.start()
}, 120_000)
afterAll(async () => {
  await dispatcher?.stop()
  await t?.close()
  await inbox?.close()
})

describe('email verification', () => {
  it('sign-up mails a link; following it verifies the address, once', async () => {
    const email = `new-owner-${Date.now()}@example.com`
    const owner = await signUp(email)
    expect(owner.me.user.emailVerified).toBe(false)

    const mail = await inbox.next(email)
    expect(mail.from).toBe('mail@luneo.test')
    expect(mail.subject).toBe('Confirm your email address for Luneo')
    const link = linkIn(mail, 'verify-email')
    expect(link.url.startsWith(`${DASHBOARD}/verify-email#`)).toBe(true)

    // Only the hash is stored, and the link lives 24 h.
    const row = await sql<{ token_hash: string; life_s: number }>`
      SELECT token_hash, extract(epoch FROM expires_at - created_at)::int AS life_s
      FROM email_verifications WHERE user_id = ${owner.me.user.id}`.execute(t.deps.db)
    expect(row.rows).toHaveLength(1)
    expect(row.rows[0]!.token_hash).not.toContain(link.token)
    expect(Math.abs(row.rows[0]!.life_s - 24 * 3600)).toBeLessThanOrEqual(5)

    const ok = await verify(link.token)
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toEqual({ email, emailVerified: true })
    expect((await me(owner)).user.emailVerified).toBe(true)

    const again = await verify(link.token)
    expect(again.statusCode).toBe(404)
    expect(again.json().code).toBe('not_found')
    // A mail that left keeps no copy of its link in the database.
    const bodies = await sql<{ status: string; text_body: string | null }>`
      SELECT status, text_body FROM email_outbox WHERE to_address = ${email}`.execute(t.deps.db)
    expect(bodies.rows).toEqual([{ status: 'sent', text_body: null }])
  })

  it('resend mails a new link (rate limited per user); an expired link proves nothing', async () => {
    const email = `slow-reader-${Date.now()}@example.com`
    const owner = await signUp(email)
    const first = linkIn(await inbox.next(email), 'verify-email')
    // The first link goes stale (24 h passed).
    await sql`UPDATE email_verifications SET expires_at = now() - interval '1 second'
              WHERE user_id = ${owner.me.user.id}`.execute(t.deps.db)
    expect((await verify(first.token)).statusCode).toBe(404)
    expect((await me(owner)).user.emailVerified).toBe(false)

    const r = await resend(owner)
    expect(r.statusCode, r.body).toBe(202)
    expect(r.json()).toEqual({ email, delivery: 'smtp' })
    const second = linkIn(await inbox.next(email), 'verify-email')
    expect(second.token).not.toBe(first.token)

    for (let i = 1; i < RESEND_LIMIT; i++) expect((await resend(owner)).statusCode).toBe(202)
    const limited = await resend(owner)
    expect(limited.statusCode).toBe(429)
    expect(limited.json().code).toBe('rate_limited')

    expect((await verify(second.token)).statusCode).toBe(200)
    expect((await me(owner)).user.emailVerified).toBe(true)
  })

  it('a verified user is told so instead of being mailed; an API key has no inbox', async () => {
    const email = `done-${Date.now()}@example.com`
    const owner = await signUp(email)
    expect((await verify(linkIn(await inbox.next(email), 'verify-email').token)).statusCode).toBe(200)
    const r = await resend(owner)
    expect(r.statusCode).toBe(409)
    expect(r.json().code).toBe('conflict')
    const key = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: as(owner),
      payload: { name: 'k', scopes: ['admin'] },
    })
    const byKey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/verification-email',
      headers: as(key.json().secret as string),
    })
    expect(byKey.statusCode).toBe(403)
  })

  it('a mail server that refuses for now: the email is retried later, the request was not held', async () => {
    const inviter = await signUp(`greylist-owner-${Date.now()}@example.com`)
    await inbox.next(inviter.me.user.email)
    const inv = await t.app.inject({
      method: 'POST',
      url: '/api/v1/members',
      headers: as(inviter),
      payload: { email: REFUSED, role: 'viewer' },
    })
    expect(inv.statusCode, inv.body).toBe(201)
    const row = await waitForRow(REFUSED, (r) => r.attempts >= 1)
    expect(row).toMatchObject({ status: 'pending', attempts: 1 })
    expect(row.last_error).toMatch(/450/)
    expect(row.text_body).toContain('/accept-invite#') // kept for the next attempt
    expect(row.next_at_s).toBeGreaterThanOrEqual(25) // first retry ~30 s later
  })
})

/** Polls the outbox row of `to` until `ready` (the dispatcher runs on its own loop). */
async function waitForRow(
  to: string,
  ready: (r: { status: string; attempts: number }) => boolean,
): Promise<{
  status: string
  attempts: number
  last_error: string | null
  text_body: string | null
  next_at_s: number
}> {
  for (;;) {
    const r = await sql<{
      status: string
      attempts: number
      last_error: string | null
      text_body: string | null
      next_at_s: number
    }>`SELECT status, attempts, last_error, text_body,
              extract(epoch FROM next_attempt_at - now())::int AS next_at_s
       FROM email_outbox WHERE to_address = ${to}`.execute(t.deps.db)
    if (r.rows[0] && ready(r.rows[0])) return r.rows[0]
    await new Promise((resolve) => setImmediate(resolve))
  }
}

describe('without a mail server (make dev)', () => {
  it('the dispatcher writes each email, link included, to the log file, and marks it logged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luneo-mail-'))
    try {
      const lines: string[] = []
      const file = join(dir, 'emails.log')
      const log = new EmailDispatcher(
        t.deps.db,
        createLogMailer(file, 'Luneo <dev@luneo.test>', (l) => lines.push(l)),
      )
      const { organizationId } = {
        organizationId: (await signUp(`logged-${Date.now()}@example.com`)).me.organization.id,
      }
      // Sign-up above went by SMTP (the running dispatcher); queue one more for the log one alone.
      await dispatcher!.stop()
      dispatcher = undefined
      await enqueueEmail(t.deps.db, {
        id: newId(),
        organization_id: organizationId,
        kind: 'email_verification',
        to_address: 'dev@example.com',
        subject: 'Confirm your email address for Luneo',
        text_body: `open ${DASHBOARD}/verify-email#abc123`,
      })
      const results = (await log.dispatchOnce()).filter((x) => x !== 'skipped')
      expect(results).toContain('logged')
      const text = readFileSync(file, 'utf8')
      expect(text).toContain('To: dev@example.com')
      expect(text).toContain(`${DASHBOARD}/verify-email#abc123`)
      expect(lines.some((l) => l.includes(file))).toBe(true)
      const row = await sql<{
        status: string
      }>`SELECT status FROM email_outbox WHERE to_address = 'dev@example.com'`.execute(t.deps.db)
      expect(row.rows).toEqual([{ status: 'logged' }])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

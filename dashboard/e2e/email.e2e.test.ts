// Email in a real browser against the real API and a real SMTP server (smtp-server on a loopback
// port; the API sends through it with nodemailer). A new owner sees the "verify your email" banner,
// asks for the link again, opens the link from the received email and is verified (the banner is
// gone). In members settings, an invitation is emailed (no link shown), listed as pending, sent
// again (the new email's link works, the first one is dead) and another is cancelled.
// axe-core on every page. Screenshots: artifacts/screenshots/email-*.png.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { check, hasChromium, launch, shots, signUpOwner } from './browser.js'
import { freePort, repoRoot, startApi, startDashboard, type Proc } from './servers.js'
import { linkIn, startSmtpInbox, type SmtpInbox } from './smtp-inbox.js'

const OWNER = { email: 'owner@mail.example', password: 'correct horse battery', organization: 'Mail Shoes' }
const INVITEE = 'analyst@mail.example'
const CANCELLED = 'not-after-all@mail.example'
const logDir = join(repoRoot, '.tmp/dashboard-e2e/email')

let inbox: SmtpInbox
let api: Proc | undefined
let dash: Proc | undefined
let browser: Browser | undefined
let owner: Page

describe.skipIf(!hasChromium)('email in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(logDir, { recursive: true })
    mkdirSync(shots, { recursive: true })
    inbox = await startSmtpInbox()
    const port = await freePort()
    api = await startApi(`http://127.0.0.1:${port}`, logDir, { SMTP_URL: inbox.url })
    dash = await startDashboard(port, api.url, logDir)
    browser = await launch()
    owner = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
  })
  afterAll(async () => {
    await browser?.close()
    await dash?.stop()
    await api?.stop()
    await inbox?.close()
  })

  it('a new owner is asked to verify, gets the link again, follows it from the email and is verified', async () => {
    await signUpOwner(owner, dash!.url, OWNER)
    const banner = owner.getByTestId('verify-email-banner')
    await expect.poll(() => banner.textContent()).toContain(OWNER.email)
    const first = linkIn(await inbox.next(OWNER.email), 'verify-email')
    expect(first.url.startsWith(`${dash!.url}/verify-email#`)).toBe(true)

    await banner.getByRole('button', { name: 'Email me a new link' }).click()
    await expect
      .poll(() => owner.getByTestId('verification-sent').textContent())
      .toBe(`A new link is on its way to ${OWNER.email}.`)
    await check(owner, 'email-banner')
    const second = linkIn(await inbox.next(OWNER.email), 'verify-email')
    expect(second.token).not.toBe(first.token)

    await owner.goto(second.url)
    await expect
      .poll(() => owner.getByTestId('email-verified').textContent())
      .toBe(`${OWNER.email} is verified. Thank you.`)
    await check(owner, 'email-verified')
    // The same link again: used up, and the page says what to do.
    await owner.goto(`${dash!.url}/sign-in`)
    await owner.goto(second.url)
    await expect.poll(() => owner.getByTestId('error').textContent()).toContain('not valid any more')
    await check(owner, 'email-link-used')

    await owner.goto(`${dash!.url}/overview`)
    await owner.getByRole('heading', { level: 1 }).first().waitFor()
    expect(await owner.getByTestId('verify-email-banner').count()).toBe(0)
  })

  it('invitations: emailed, listed as pending, sent again (only the new link works) and cancelled', async () => {
    await owner.goto(`${dash!.url}/settings/members`)
    await owner.getByTestId('members').waitFor()
    await owner.getByTestId('no-invitations').waitFor()
    const invite = async (email: string) => {
      await owner.getByLabel('Email').fill(email)
      await owner.getByLabel('Role').selectOption('analyst')
      await owner.getByRole('button', { name: 'Invite', exact: true }).click()
      await expect
        .poll(() => owner.getByTestId('invitation-sent').textContent())
        .toContain(`Invitation emailed to ${email}`)
      await owner.locator(`[data-testid=invitations] tr[data-email="${email}"]`).waitFor()
    }
    await invite(INVITEE)
    expect(await owner.getByTestId('shown-once').count()).toBe(0) // the link travels only by email
    const first = linkIn(await inbox.next(INVITEE), 'accept-invite')
    await invite(CANCELLED)
    await inbox.next(CANCELLED)
    await check(owner, 'email-pending-invitations')

    await owner
      .locator(`[data-testid=invitations] tr[data-email="${INVITEE}"]`)
      .getByRole('button', { name: 'Resend' })
      .click()
    const second = linkIn(await inbox.next(INVITEE), 'accept-invite')
    expect(second.token).not.toBe(first.token)

    const row = owner.locator(`[data-testid=invitations] tr[data-email="${CANCELLED}"]`)
    await row.getByRole('button', { name: 'Cancel invitation' }).click()
    await row.getByRole('button', { name: `Cancel the invitation of ${CANCELLED}?` }).click()
    await row.waitFor({ state: 'detached' })

    // The invitee follows the new link from their email in their own browser.
    const invitee = await (await browser!.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    await invitee.goto(first.url)
    await expect.poll(() => invitee.getByLabel('Invitation token').inputValue()).toBe(first.token)
    await invitee.getByLabel(/^Password/).fill('analyst horse battery')
    await invitee.getByRole('button', { name: 'Accept invitation' }).click()
    await expect.poll(() => invitee.getByTestId('error').textContent()).toContain('not found or expired')
    await invitee.goto(second.url)
    await expect.poll(() => invitee.getByLabel('Invitation token').inputValue()).toBe(second.token)
    await invitee.getByLabel(/^Password/).fill('analyst horse battery')
    await invitee.getByRole('button', { name: 'Accept invitation' }).click()
    await invitee.waitForURL(/\/overview$/)
    // The link travelled only by email: accepting it proved the address, so no banner asks again.
    await invitee.getByRole('heading', { level: 1 }).first().waitFor()
    expect(await invitee.getByTestId('verify-email-banner').count()).toBe(0)

    await owner.reload()
    await owner.locator(`[data-testid=members] tr[data-email="${INVITEE}"]`).waitFor()
    await owner.getByTestId('no-invitations').waitFor()
    await check(owner, 'email-members-after')
  })
})

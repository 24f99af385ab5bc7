// Single sign-on in a real browser: a real OpenID Connect provider (oidc-provider, as its own
// process), the API and the built dashboard. The owner sets the provider up in Settings; an
// invited member signs in with "Sign in with SSO", through the provider's own login and consent
// pages, and lands in the dashboard; the owner then requires SSO; someone not invited is sent back
// to the sign-in page with the reason. axe-core on each page. Screenshots: artifacts/screenshots/sso-*.png.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi, check, hasChromium, launch, shots, signUpOwner } from './browser.js'
import { freePort, repoRoot, startApi, startDashboard, startIdp, type Idp, type Proc } from './servers.js'

const DOMAIN = 'sso-e2e.test'
const OWNER = {
  email: `owner@${DOMAIN}`,
  password: 'correct horse battery',
  organization: 'Single Sign Shoes',
}
const ACCOUNTS = {
  owner: { email: OWNER.email, emailVerified: true },
  mina: { email: `mina@${DOMAIN}`, emailVerified: true, name: 'Mina Member' },
  stranger: { email: `stranger@${DOMAIN}`, emailVerified: true },
}
const logDir = join(repoRoot, '.tmp/dashboard-e2e/sso')

let api: Proc | undefined
let dash: Proc | undefined
let idp: Idp | undefined
let browser: Browser | undefined
let owner: Page

/** From the sign-in page through the provider's login and consent pages, as `login`. */
async function signInWithSso(page: Page, email: string, login: string) {
  await page.goto(`${dash!.url}/sign-in`)
  await page.getByLabel('Work email').fill(email)
  await page.getByRole('button', { name: 'Continue with SSO' }).click()
  await page.waitForURL((u) => u.href.startsWith(idp!.url))
  await page.locator('input[name=login]').fill(login)
  await page.locator('input[name=password]').fill('any password')
  await page.locator('button[type=submit]').click()
  // The consent page (the account's first sign-in at this provider), then back to the dashboard.
  const consent = page.locator('input[name=prompt][value=consent]')
  const back = (u: URL) => u.href.startsWith(dash!.url)
  await Promise.race([consent.waitFor({ state: 'attached' }), page.waitForURL(back)])
  if (!back(new URL(page.url()))) {
    await page.locator('button[type=submit]').click()
    await page.waitForURL(back)
  }
}

describe.skipIf(!hasChromium)('single sign-on in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(logDir, { recursive: true })
    mkdirSync(shots, { recursive: true })
    const port = await freePort()
    const origin = `http://127.0.0.1:${port}`
    // The API builds the redirect URI on its public URL: the dashboard's origin (its first CORS origin).
    api = await startApi(origin, logDir)
    idp = await startIdp(`${origin}/api/v1/auth/sso/callback`, ACCOUNTS, logDir)
    dash = await startDashboard(port, api.url, logDir)
    browser = await launch()
    owner = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    await signUpOwner(owner, dash.url, OWNER)
  })

  afterAll(async () => {
    await browser?.close()
    await dash?.stop()
    await idp?.stop()
    await api?.stop()
  })

  it('the owner sets the provider up in Settings; the secret is never shown back', async () => {
    await owner.goto(`${dash!.url}/settings/sso`)
    await owner.getByTestId('sso-status').filter({ hasText: 'Not set up' }).waitFor()
    await expect(owner.getByTestId('sso-redirect-uri').textContent()).resolves.toBe(
      `${dash!.url}/api/v1/auth/sso/callback`,
    )
    await check(owner, 'sso-settings-empty')
    await owner.getByLabel('Issuer URL').fill(idp!.url)
    await owner.getByLabel('Client ID').fill(idp!.clientId)
    await owner.getByLabel('Client secret').fill(idp!.clientSecret)
    await owner.getByLabel('Email domain').fill(DOMAIN)
    await owner.getByRole('button', { name: 'Save single sign-on' }).click()
    await owner
      .getByTestId('sso-status')
      .filter({ hasText: `Available for ${DOMAIN}` })
      .waitFor()
    const r = await callApi(owner, 'GET', '/organization/sso')
    expect(r.json).toMatchObject({ configured: true, issuer: idp!.url, hasClientSecret: true })
    expect(r.text).not.toContain(idp!.clientSecret)
    await expect(owner.getByLabel('Client secret').inputValue()).resolves.toBe('')

    // Requiring SSO before anyone signed in through it is refused, with the reason on the page.
    await owner.getByLabel(/Members must sign in with SSO/).check()
    await owner.getByRole('button', { name: 'Save single sign-on' }).click()
    await expect(owner.getByTestId('error').textContent()).resolves.toMatch(
      /Sign in once through this provider/,
    )
    await check(owner, 'sso-settings')
  })

  it('an invited member signs in with SSO through the provider and lands in the dashboard', async () => {
    const invite = await callApi(owner, 'POST', '/members', { email: ACCOUNTS.mina.email, role: 'analyst' })
    expect(invite.status, invite.text).toBe(201)
    const page = await (await browser!.newContext()).newPage()
    await page.goto(`${dash!.url}/sign-in`)
    await page.getByRole('heading', { name: 'Sign in with SSO' }).waitFor()
    await check(page, 'sso-sign-in')
    await signInWithSso(page, ACCOUNTS.mina.email, 'mina')
    await page.waitForURL(/\/overview$/)
    const me = (await callApi(page, 'GET', '/auth/me')).json
    expect(me).toMatchObject({ user: { email: ACCOUNTS.mina.email, name: 'Mina Member' }, role: 'analyst' })
  })

  it('the owner then requires SSO; someone not invited is sent back to sign-in with the reason', async () => {
    await owner.goto(`${dash!.url}/settings/sso`)
    await owner.getByLabel(/Members must sign in with SSO/).check()
    await owner.getByRole('button', { name: 'Save single sign-on' }).click()
    await owner
      .getByTestId('sso-status')
      .filter({ hasText: `Required for ${DOMAIN}` })
      .waitFor()
    await check(owner, 'sso-settings-enforced')

    const page = await (await browser!.newContext()).newPage()
    await signInWithSso(page, ACCOUNTS.stranger.email, 'stranger')
    await page.waitForURL(/\/sign-in\?sso=sso_no_access$/)
    await expect(page.getByTestId('sso-error').textContent()).resolves.toMatch(/ask an admin to invite you/)
    await check(page, 'sso-sign-in-refused')
  })
})

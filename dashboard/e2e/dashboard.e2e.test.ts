// The dashboard in a real browser against the real API: sign up in the UI, send traffic through the
// API, sign out and in again, the overview's numbers equal GET /analytics/roi's, the conversation
// report filters, its CSV holds exactly the filtered rows, a transcript opens, an API error reads as
// the API's detail, and every screen passes axe-core with no serious or critical violation.
// Screenshots: artifacts/screenshots/ (ignored by git).
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launch, seriousViolations } from './browser.js'
import { freePort, repoRoot, startApi, startDashboard, type Proc } from './servers.js'
import { sendTraffic, type Traffic } from './traffic.js'

const OWNER = { email: 'owner@shop.example', password: 'correct horse battery', organization: 'Acme Shoes' }
const logDir = join(repoRoot, '.tmp/dashboard-e2e')
const shots = join(repoRoot, 'artifacts/screenshots')

// The last 30 whole days (UTC), as the screens name periods in their URL.
const DAY = 86_400_000
const today = Date.parse(new Date().toISOString().slice(0, 10))
const period = {
  from: new Date(today + DAY - 30 * DAY).toISOString().slice(0, 10),
  to: new Date(today + DAY).toISOString().slice(0, 10),
}
const instants = { from: `${period.from}T00:00:00.000Z`, to: `${period.to}T00:00:00.000Z` }

let api: Proc | undefined
let dash: Proc | undefined
let browser: Browser | undefined
let page: Page
let traffic: Traffic

describe.skipIf(!hasChromium)('dashboard in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(logDir, { recursive: true })
    mkdirSync(shots, { recursive: true })
    const port = await freePort()
    const origin = `http://127.0.0.1:${port}`
    // `next build` ran once for every file (build.global.ts).
    api = await startApi(origin, logDir)
    dash = await startDashboard(port, api.url, logDir)
    browser = await launch()
    page = await (
      await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } })
    ).newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await dash?.stop()
    await api?.stop()
  })

  /** The API's own answer, through the dashboard's proxy with the browser's session cookies. */
  async function apiJson<T>(path: string, query: Record<string, string>): Promise<T> {
    const r = await page.request.get(`${dash!.url}/api/v1${path}?${new URLSearchParams(query).toString()}`)
    expect(r.status(), await r.text()).toBe(200)
    return (await r.json()) as T
  }

  it('sends a signed-out visitor to sign in; signs up; shows the empty overview', async () => {
    await page.goto(`${dash!.url}/overview`)
    await page.waitForURL(/\/sign-in\?next=%2Foverview/)
    expect(await seriousViolations(page)).toEqual([])
    await page.getByRole('link', { name: 'Create an organization' }).click()
    await page.getByLabel('Organization name').fill(OWNER.organization)
    await page.getByLabel('Email').fill(OWNER.email)
    await page.getByLabel(/^Password/).fill(OWNER.password)
    expect(await seriousViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Create organization' }).click()
    // Sign-up leads to the onboarding wizard (onboarding.e2e.test.ts walks it); the overview is a link away.
    await page.waitForURL(/\/onboarding$/)
    await page.getByRole('link', { name: 'Overview' }).click()
    await page.waitForURL(/\/overview$/)
    await page.getByTestId('empty').waitFor()
    await expect(page.getByTestId('organization').textContent()).resolves.toContain(OWNER.organization)
    await page.screenshot({ path: join(shots, 'overview-empty.png'), fullPage: true })
  })

  it('signs out, refuses a wrong password with the API detail, signs in again', async () => {
    const csrf = (await page.context().cookies()).find((c) => c.name === 'luneo_csrf')?.value ?? ''
    traffic = await sendTraffic(page.request, dash!.url, csrf)
    await page.getByRole('button', { name: /Sign out/ }).click()
    await page.waitForURL(/\/sign-in/)
    await page.getByLabel('Email', { exact: true }).fill(OWNER.email)
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    // The API's problem+json detail for invalid_credentials, shown as the API wrote it.
    await expect(page.getByTestId('error').textContent()).resolves.toMatch(/email or password is wrong/i)
    await page.screenshot({ path: join(shots, 'sign-in-error.png'), fullPage: true })
    await page.getByLabel('Password').fill(OWNER.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(/\/overview$/)
  })

  it('shows the overview numbers the API computes for the period', async () => {
    await page.goto(`${dash!.url}/overview?from=${period.from}&to=${period.to}&granularity=week`)
    await page.getByTestId('kpi-net_roi').waitFor()
    const roi = await apiJson<{ totals: Record<string, number | null> }>('/analytics/roi', {
      ...instants,
      granularity: 'week',
    })
    for (const m of [
      'net_roi',
      'ai_resolved',
      'human_hours_saved',
      'attributed_revenue',
      'platform_cost',
      'confirmed_resolution_rate',
      'assumed_resolution_rate',
      'durable_resolution_rate',
    ]) {
      const shown = await page.getByTestId(`kpi-${m}`).locator('[data-value]').getAttribute('data-value')
      expect(shown, m).toBe(String(roi.totals[m]))
    }
    expect(roi.totals.conversations).toBe(traffic.conversations)
    await expect(page.getByTestId('kpi-verified_resolution_rate').textContent()).resolves.toContain(
      'needs a judge model',
    )
    await page.screenshot({ path: join(shots, 'overview.png'), fullPage: true })
    expect(await seriousViolations(page)).toEqual([])
    // On a phone: the cards stack into one column and nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: join(shots, 'overview-phone.png'), fullPage: true })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('filters the conversation report and downloads exactly those rows as CSV', async () => {
    // No email conversation was sent: the filter in the URL gives the empty state, not an error.
    await page.goto(`${dash!.url}/conversations?from=${period.from}&to=${period.to}&channel=email`)
    await page.getByTestId('empty').waitFor()
    await page.goto(`${dash!.url}/conversations?from=${period.from}&to=${period.to}`)
    await page.getByTestId('report').waitFor()
    await page.getByLabel('Channel').selectOption('widget')
    await page.waitForURL(/channel=widget/)
    const filter = { ...instants, channel: 'widget' }
    const listed = await apiJson<{ items: { conversationId: string; resolved: boolean }[] }>(
      '/analytics/conversations/resolved',
      { ...filter, limit: '50' },
    )
    expect(listed.items.length).toBe(traffic.widget)
    await expect
      .poll(() =>
        page
          .locator('[data-testid=report] tbody tr')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id'))),
      )
      .toEqual(listed.items.map((r) => r.conversationId))
    await page.screenshot({ path: join(shots, 'conversations.png'), fullPage: true })
    expect(await seriousViolations(page)).toEqual([])

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download CSV/ }).click(),
    ])
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\r\n')
    const header = csv[0]!.split(',')
    const ids = csv.slice(1).map((line) => line.split(',')[header.indexOf('conversationId')])
    const all = await apiJson<{ items: { conversationId: string }[]; nextCursor: string | null }>(
      '/analytics/conversations/resolved',
      { ...filter, limit: '500' },
    )
    expect(all.nextCursor).toBeNull()
    expect(ids).toEqual(all.items.map((r) => r.conversationId))
    expect(ids.slice(0, listed.items.length)).toEqual(listed.items.map((r) => r.conversationId))
  })

  it('opens a transcript, and shows the API error for an unknown one', async () => {
    await page.getByRole('link', { name: 'Transcript' }).first().click()
    await page.locator('[data-testid=transcript] li').first().waitFor()
    await page.screenshot({ path: join(shots, 'transcript.png'), fullPage: true })
    expect(await seriousViolations(page)).toEqual([])
    await page.goto(`${dash!.url}/conversations/00000000-0000-4000-8000-000000000000`)
    await expect(page.getByTestId('error').textContent()).resolves.toMatch(/not found/i)
    await page.screenshot({ path: join(shots, 'transcript-error.png'), fullPage: true })
  })

  it('says so when the API is down, instead of loading forever', async () => {
    await api!.stop()
    api = undefined
    await page.goto(`${dash!.url}/overview`)
    await expect(page.getByTestId('error').textContent()).resolves.toContain('The API is not reachable')
    await page.screenshot({ path: join(shots, 'api-down.png'), fullPage: true })
  })
})

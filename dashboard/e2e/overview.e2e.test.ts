// The executive overview and the transcript in a real browser against the real API: the numbers
// equal GET /analytics/roi's for the same period (verified included), the freshness mark names the
// API's watermark, an admin edits two ROI assumptions and net ROI changes to the value computed by
// hand from the counts, the benchmark says why it is empty below k = 5, a transcript shows a
// reply's sources, intent, actions and escalation, and the organization's locale formats the
// numbers. axe-core on each state; screenshots at 1280 and 390 px in artifacts/screenshots/.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launch, seriousViolations, signUpOwner } from './browser.js'
import { freePort, repoRoot, startApi, startDashboard, type Proc } from './servers.js'
import { sendTraffic, type Traffic } from './traffic.js'

const OWNER = { email: 'exec@shop.example', password: 'correct horse battery', organization: 'Exec Shoes' }
const logDir = join(repoRoot, '.tmp/dashboard-e2e/overview')
const shots = join(repoRoot, 'artifacts/screenshots')

const DAY = 86_400_000
const today = Date.parse(new Date().toISOString().slice(0, 10))
const period = {
  from: new Date(today + DAY - 30 * DAY).toISOString().slice(0, 10),
  to: new Date(today + DAY).toISOString().slice(0, 10),
}
const instants = { from: `${period.from}T00:00:00.000Z`, to: `${period.to}T00:00:00.000Z` }
const overviewUrl = () => `${dash!.url}/overview?from=${period.from}&to=${period.to}&granularity=week`

type Totals = Record<string, number | null>
type Roi = { totals: Totals; currency: string }

let api: Proc | undefined
let dash: Proc | undefined
let browser: Browser | undefined
let page: Page
let traffic: Traffic

const shown = async (id: string) =>
  page.getByTestId(`kpi-${id}`).locator('[data-value]').getAttribute('data-value')

describe.skipIf(!hasChromium)('executive overview and transcript in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(logDir, { recursive: true })
    mkdirSync(shots, { recursive: true })
    const port = await freePort()
    api = await startApi(`http://127.0.0.1:${port}`, logDir)
    dash = await startDashboard(port, api.url, logDir)
    browser = await launch()
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    // sign-up leads to the onboarding wizard; this test sets its tenant up through the API
    const csrf = await signUpOwner(page, dash.url, OWNER)
    traffic = await sendTraffic(page.request, dash.url, csrf)
  })

  afterAll(async () => {
    await browser?.close()
    await dash?.stop()
    await api?.stop()
  })

  /** The API's own answer, through the dashboard's proxy with the browser's session cookies. */
  async function apiJson<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    const r = await page.request.get(`${dash!.url}/api/v1${path}?${new URLSearchParams(query).toString()}`)
    expect(r.status(), await r.text()).toBe(200)
    return (await r.json()) as T
  }
  const roiNow = () => apiJson<Roi>('/analytics/roi', { ...instants, granularity: 'week' })

  it('shows the API’s numbers for the period, the four definitions and how fresh they are', async () => {
    await page.goto(overviewUrl())
    await page.getByTestId('kpi-net_roi').waitFor()
    const roi = await roiNow()
    expect(roi.totals.conversations).toBe(traffic.conversations)
    for (const m of [
      'net_roi',
      'ai_resolved',
      'human_hours_saved',
      'attributed_revenue',
      'platform_cost',
      'confirmed_resolution_rate',
      'assumed_resolution_rate',
      'durable_resolution_rate',
    ])
      expect(await shown(m), m).toBe(String(roi.totals[m]))
    // No judge model in this API: verified is null in ROI and the card says why.
    expect(roi.totals.verified_resolution_rate).toBeNull()
    expect(await shown('verified_resolution_rate')).toBe('null')
    await expect(page.getByTestId('kpi-verified_resolution_rate').textContent()).resolves.toContain(
      'needs a judge model',
    )

    const fresh = await apiJson<{ asOf: string; ageSeconds: number }>('/analytics/freshness')
    const mark = page.locator('[data-testid=freshness][data-state=ok]')
    await mark.waitFor()
    expect(await mark.getAttribute('data-as-of')).toBe(fresh.asOf)
    expect(await mark.textContent()).toMatch(/Data as of \d+ seconds? ago/)

    // One organization in the vertical: below k = 5 the benchmark is not published, and says so.
    const bench = await apiJson<{ published: boolean }>('/analytics/benchmarks')
    expect(bench.published).toBe(false)
    await expect(page.getByTestId('benchmark-empty').textContent()).resolves.toMatch(
      /fewer than 5 organizations contribute to it\. It is\s+published from 5 on/,
    )
    await page.screenshot({ path: join(shots, 'overview-executive.png'), fullPage: true })
    expect(await seriousViolations(page)).toEqual([])
  })

  it('an admin edits two assumptions and net ROI changes at once to the hand-computed value', async () => {
    const before = (await roiNow()).totals
    // Hand computation (docs/metrics.md): hours saved = AI-resolved × minutes ÷ 60; net ROI =
    // (hours saved × hourly cost + attributed revenue − platform cost) ÷ platform cost. The counts
    // and the money do not depend on the two assumptions edited here.
    const minutes = 12
    const hourly = 75
    const hours = (before.ai_resolved! * minutes) / 60
    const expected =
      (hours * hourly + before.attributed_revenue! - before.platform_cost!) / before.platform_cost!
    expect(before.ai_resolved).toBeGreaterThan(0) // else the edit could not move the number

    await page.getByRole('button', { name: 'Edit assumptions' }).click()
    await page.getByLabel(/Minutes a person needs/).fill(String(minutes))
    await page.getByLabel(/Loaded hourly cost/).fill(String(hourly))
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: join(shots, 'overview-assumptions-edit.png'), fullPage: true })
    await page.getByRole('button', { name: 'Save and recompute' }).click()

    // The card re-reads ROI after the save: wait for its value to move, then check it by hand.
    await expect.poll(() => shown('net_roi')).not.toBe(String(before.net_roi))
    expect(Number(await shown('net_roi'))).toBeCloseTo(expected, 5)
    expect(Number(await shown('human_hours_saved'))).toBeCloseTo(hours, 5)
    const after = (await roiNow()).totals
    expect(await shown('net_roi')).toBe(String(after.net_roi))
    await expect(page.getByTestId('roi-assumptions').textContent()).resolves.toContain('$75.00/h')
    console.log(`[overview-e2e] net ROI ${before.net_roi} → ${after.net_roi} (hand: ${expected.toFixed(6)})`)
  })

  it('is usable on a phone: one column, nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(overviewUrl())
    await page.getByTestId('kpi-net_roi').waitFor()
    await page.locator('[data-testid=freshness][data-state=ok]').waitFor()
    await page.screenshot({ path: join(shots, 'overview-executive-phone.png'), fullPage: true })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    expect(await seriousViolations(page)).toEqual([])
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('the freshness mark is on the other analytics screens too', async () => {
    for (const path of [`/conversations?from=${period.from}&to=${period.to}`, '/gaps']) {
      await page.goto(`${dash!.url}${path}`)
      await page.locator('[data-testid=freshness][data-state=ok]').waitFor()
    }
  })

  it('a transcript shows each reply’s sources, intent, actions and escalation as the API records them', async () => {
    const list = await apiJson<{ items: { id: string }[] }>('/conversations', { limit: '50' })
    type Msg = {
      role: string
      reply: { intent: string; sources: { title: string | null }[]; escalated: boolean | null } | null
    }
    let found: { id: string; reply: NonNullable<Msg['reply']> } | undefined
    for (const c of list.items) {
      const d = await apiJson<{ messages: Msg[] }>(`/conversations/${c.id}`)
      const r = d.messages.find((m) => m.reply && m.reply.sources.length > 0)?.reply
      if (r) {
        found = { id: c.id, reply: r }
        break
      }
    }
    expect(found, 'a grounded reply among the traffic').toBeDefined()
    await page.goto(`${dash!.url}/conversations/${found!.id}`)
    const agent = page.getByTestId('message-agent').first()
    await agent.waitFor()
    expect(await agent.getByTestId('reply-sources').locator('li').allTextContents()).toEqual(
      found!.reply.sources.map((s) => s.title ?? 'a deleted document'),
    )
    await expect(agent.getByTestId('reply-intent').textContent()).resolves.toContain(
      found!.reply.intent.replaceAll('_', ' '),
    )
    await expect(agent.getByTestId('reply-escalation').textContent()).resolves.toBe(
      found!.reply.escalated ? expect.stringMatching(/handed to a person/) : 'no',
    )
    await expect(agent.getByTestId('reply-actions').textContent()).resolves.toBeTruthy()
    await page.screenshot({ path: join(shots, 'transcript-sources.png'), fullPage: true })
    expect(await seriousViolations(page)).toEqual([])
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: join(shots, 'transcript-sources-phone.png'), fullPage: true })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('formats the numbers in the organization’s locale and currency', async () => {
    const csrf = (await page.context().cookies()).find((c) => c.name === 'luneo_csrf')?.value ?? ''
    const patch = await page.request.patch(`${dash!.url}/api/v1/organization/roi-assumptions`, {
      data: { locale: 'de-DE', currency: 'EUR' },
      headers: { 'x-csrf-token': decodeURIComponent(csrf) },
    })
    expect(patch.status(), await patch.text()).toBe(200)
    await page.goto(overviewUrl())
    await page.getByTestId('kpi-attributed_revenue').waitFor()
    const roi = await roiNow()
    expect(roi.currency).toBe('EUR')
    const want = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(
      roi.totals.attributed_revenue!,
    )
    await expect(
      page.getByTestId('kpi-attributed_revenue').locator('[data-value]').textContent(),
    ).resolves.toBe(want)
    await page.screenshot({ path: join(shots, 'overview-de-DE.png'), fullPage: true })
  })
})

// The insights screens in a real browser against the real API: /signals and /explore show the
// API's numbers for the same period; a chart point and a number click through to the report with
// the same filters, whose list equals the API's for them; a table's CSV holds exactly the rows it
// shows; an experiment's variants, decision and stop; the overview's cards link to their
// conversations; axe-core finds nothing serious or critical on any of these screens.
// Screenshots: artifacts/screenshots/ (ignored by git).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { downloadCsv, hasChromium, launch, seriousViolations, signUpOwner } from './browser.js'
import { sendInsightsTraffic, type InsightsTraffic } from './insights-traffic.js'
import { freePort, repoRoot, startApi, startDashboard, type Proc } from './servers.js'

const OWNER = {
  email: 'owner@insights.example',
  password: 'correct horse battery',
  organization: 'Insights Shop',
}
const logDir = join(repoRoot, '.tmp/dashboard-e2e-insights')
const shots = join(repoRoot, 'artifacts/screenshots')

const DAY = 86_400_000
const today = Date.parse(new Date().toISOString().slice(0, 10))
const period = {
  from: new Date(today + DAY - 30 * DAY).toISOString().slice(0, 10),
  to: new Date(today + DAY).toISOString().slice(0, 10),
}
const instants = { from: `${period.from}T00:00:00.000Z`, to: `${period.to}T00:00:00.000Z` }
const inPeriod = `from=${period.from}&to=${period.to}`

type Signals = Record<'byIntent' | 'byAgent' | 'byChannel', Record<string, string | number | null>[]> & {
  totals: Record<string, number | null>
}
interface ReportRow {
  conversationId: string
}

let api: Proc | undefined
let dash: Proc | undefined
let browser: Browser | undefined
let page: Page
let traffic: InsightsTraffic

/** The rows a table shows: each row's key and its cells' raw values (data-value) by column. */
function tableRows(table: Locator) {
  return table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((r) => ({
      key: r.getAttribute('data-key'),
      cells: Object.fromEntries(
        [...r.querySelectorAll('td')].map((td) => [
          td.getAttribute('data-col'),
          td.getAttribute('data-value'),
        ]),
      ),
    })),
  )
}

/** On a phone the screen stacks: nothing but the tables' own scroll boxes goes wider than 390 px. */
async function onAPhone(shot: string) {
  await page.setViewportSize({ width: 390, height: 844 })
  await page.screenshot({ path: join(shots, shot), fullPage: true })
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1280, height: 900 })
}

const reportIds = () =>
  page
    .locator('[data-testid=report] tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))

describe.skipIf(!hasChromium)('insights screens in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(logDir, { recursive: true })
    mkdirSync(shots, { recursive: true })
    const port = await freePort()
    const origin = `http://127.0.0.1:${port}`
    api = await startApi(origin, logDir)
    dash = await startDashboard(port, api.url, logDir)
    browser = await launch()
    page = await (
      await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } })
    ).newPage()
    // sign-up leads to the onboarding wizard; this test sets its tenant up through the API
    const csrf = await signUpOwner(page, dash.url, OWNER)
    traffic = await sendInsightsTraffic(page.request, dash.url, csrf)
  })

  afterAll(async () => {
    await browser?.close()
    await dash?.stop()
    await api?.stop()
  })

  async function apiJson<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    const r = await page.request.get(`${dash!.url}/api/v1${path}?${new URLSearchParams(query).toString()}`)
    expect(r.status(), await r.text()).toBe(200)
    return (await r.json()) as T
  }
  const apiList = async (filters: Record<string, string>) =>
    (
      await apiJson<{ items: ReportRow[] }>('/analytics/conversations/resolved', { ...filters, limit: '500' })
    ).items.map((r) => r.conversationId)

  it('/signals shows the API’s signal rates by intent, agent and channel for the period', async () => {
    await page.goto(`${dash!.url}/signals?${inPeriod}`)
    await page.getByTestId('table-intent').waitFor()
    const s = await apiJson<Signals>('/analytics/signals', instants)
    expect(s.totals.replies).toBe(8)
    for (const [id, list, key] of [
      ['intent', s.byIntent, 'intent'],
      ['agent', s.byAgent, 'agentId'],
      ['channel', s.byChannel, 'channel'],
    ] as const) {
      const shown = await tableRows(page.getByTestId(`table-${id}`))
      expect(shown.map((r) => r.key)).toEqual(list.map((r) => r[key]))
      for (const [i, r] of list.entries()) {
        expect(shown[i]!.cells.Replies).toBe(String(r.replies))
        expect(shown[i]!.cells.Unanswered).toBe(r.unanswered_rate === null ? '' : String(r.unanswered_rate))
        expect(shown[i]!.cells['Escalated after reply']).toBe(String(r.escalation_after_reply_rate ?? ''))
      }
    }
    expect(s.byAgent.map((r) => r.agentId)).toEqual([traffic.agentId])
    await page.screenshot({ path: join(shots, 'signals.png'), fullPage: true })
    expect(await seriousViolations(page)).toEqual([])
    await onAPhone('signals-phone.png')
  })

  it('/signals: the by-intent table downloads as CSV with exactly its rows', async () => {
    const shown = await tableRows(page.getByTestId('table-intent'))
    const [header, ...rows] = await downloadCsv(
      page,
      page.getByTestId('section-intent').getByRole('button', { name: /Download CSV/ }),
    )
    expect(header).toEqual([
      'Intent',
      'Replies',
      'Unanswered',
      'Negative feedback',
      'Escalated after reply',
      'Rephrased',
      'Abandoned after reply',
    ])
    expect(rows.map((r) => r[0])).toEqual(shown.map((r) => r.key))
    expect(rows.map((r) => r.slice(1))).toEqual(shown.map((r) => header!.slice(1).map((h) => r.cells[h])))
  })

  it('a bar of /signals clicks through to its conversations: the report equals the API’s list', async () => {
    // Chart the negative-feedback rate (the traffic rated one reply down), then click its tallest bar.
    await page.getByLabel('Chart the rate').selectOption('negative_feedback_rate')
    await page.waitForURL(/rate=negative_feedback_rate/)
    const groups = await tableRows(page.getByTestId('table-intent'))
    const rates = groups.map((r) => Number(r.cells['Negative feedback']))
    const i = rates.indexOf(Math.max(...rates))
    expect(rates[i]).toBeGreaterThan(0)
    const first = groups[i]!.key!
    // Recharts draws no rectangle for a bar of height 0: the i-th group is the n-th rectangle drawn.
    const drawn = rates.slice(0, i).filter((r) => r > 0).length
    await page.getByTestId('chart-intent').locator('.recharts-bar-rectangle').nth(drawn).click()
    await page.waitForURL(/\/conversations\?/)
    const url = new URL(page.url())
    expect(Object.fromEntries(url.searchParams)).toEqual({ ...period, intent: first })
    const want = await apiList({ ...instants, intent: first })
    expect(want.length).toBeGreaterThan(0)
    await expect.poll(reportIds).toEqual(want)
    await expect(page.getByLabel('Intent').inputValue()).resolves.toBe(first)
    // The report's CSV of the same filters: the same conversations, in the same order.
    const [header, ...rows] = await downloadCsv(page, page.getByRole('link', { name: /Download CSV/ }))
    const col = header!.indexOf('conversationId')
    expect(rows.map((r) => r[col])).toEqual(want)
    await page.screenshot({ path: join(shots, 'conversations-by-intent.png'), fullPage: true })
    expect(await seriousViolations(page)).toEqual([])
  })

  it('the report filters by intent in its own filter bar', async () => {
    await page.goto(`${dash!.url}/conversations?${inPeriod}`)
    await page.getByTestId('report').waitFor()
    // The filter's intents load on their own request, after or before the table: wait until they
    // are the API's intents of the period (the semantic layer's `intent` dimension).
    const q = await apiJson<{ rows: { intent: string }[] }>('/analytics/query', {
      ...instants,
      measures: 'conversations',
      dimensions: 'intent',
    })
    const intents = q.rows.map((r) => r.intent).filter(Boolean)
    expect(intents.length).toBeGreaterThan(0)
    const shown = () =>
      page
        .getByLabel('Intent')
        .locator('option')
        .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value).filter(Boolean))
    await expect.poll(shown).toEqual(intents)
    const last = intents.at(-1)!
    await page.getByLabel('Intent').selectOption(last)
    await page.waitForURL(new RegExp(`intent=${last}`))
    await expect.poll(reportIds).toEqual(await apiList({ ...instants, intent: last }))
  })

  it('/explore groups a measure by a dimension with the API’s numbers, and a bar opens its conversations', async () => {
    await page.goto(`${dash!.url}/explore?${inPeriod}&measure=conversations&by=intent`)
    await page.getByTestId('explore-table').waitFor()
    const q = await apiJson<{ rows: Record<string, string | number | null>[] }>('/analytics/query', {
      ...instants,
      measures: 'conversations',
      dimensions: 'intent',
    })
    const shown = await tableRows(page.getByTestId('explore-table'))
    expect(shown.map((r) => [r.key, r.cells.conversations])).toEqual(
      q.rows.map((r) => [r.intent, String(r.conversations)]),
    )
    await page.screenshot({ path: join(shots, 'explore.png'), fullPage: true })
    expect(await seriousViolations(page)).toEqual([])
    await onAPhone('explore-phone.png')
    const [header, ...rows] = await downloadCsv(page, page.getByRole('button', { name: /Download CSV/ }))
    expect(header).toEqual(['intent', 'conversations'])
    expect(rows).toEqual(shown.map((r) => [r.key, r.cells.conversations]))

    const last = q.rows.length - 1
    await page.getByTestId('explore-chart').locator('.recharts-bar-rectangle').nth(last).click()
    await page.waitForURL(/\/conversations\?/)
    const intent = String(q.rows[last]!.intent)
    expect(new URL(page.url()).searchParams.get('intent')).toBe(intent)
    const want = await apiList({ ...instants, intent })
    expect(want.length).toBe(q.rows[last]!.conversations)
    await expect.poll(reportIds).toEqual(want)
  })

  it('/explore by variant and by day: each number links to exactly the conversations it counts', async () => {
    await page.goto(`${dash!.url}/explore?${inPeriod}&measure=ai_resolved&by=variant`)
    await page.getByTestId('explore-table').waitFor()
    const q = await apiJson<{ rows: Record<string, string | number | null>[] }>('/analytics/query', {
      ...instants,
      measures: 'ai_resolved',
      dimensions: 'variant',
    })
    const withVariant = q.rows.filter((r) => r.variant)
    expect(withVariant.length).toBeGreaterThan(0)
    await page.screenshot({ path: join(shots, 'explore-variant.png'), fullPage: true })
    const v = withVariant[0]!
    await page
      .locator(`[data-testid=explore-table] tr[data-key="${String(v.variant)}"] td[data-col=ai_resolved] a`)
      .click()
    await page.waitForURL(/\/conversations\?/)
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({
      ...period,
      variantId: v.variant,
      resolved: 'true',
    })
    const want = await apiList({ ...instants, variantId: String(v.variant), resolved: 'true' })
    expect(want.length).toBe(v.ai_resolved)
    await expect.poll(reportIds).toEqual(want)

    await page.goto(`${dash!.url}/explore?${inPeriod}&measure=conversations&by=day`)
    await page.getByTestId('explore-table').waitFor()
    const day = (await tableRows(page.getByTestId('explore-table'))).at(-1)!
    await page
      .locator(`[data-testid=explore-table] tr[data-key="${day.key}"] td[data-col=conversations] a`)
      .click()
    await page.waitForURL(/\/conversations\?/)
    const next = new Date(Date.parse(day.key!) + DAY).toISOString().slice(0, 10)
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ from: day.key, to: next })
    const dayList = await apiList({ from: `${day.key}T00:00:00.000Z`, to: `${next}T00:00:00.000Z` })
    expect(String(dayList.length)).toBe(day.cells.conversations)
    await expect.poll(reportIds).toEqual(dayList)
  })

  it('/experiments lists the experiment; its page shows posteriors, decision, history; an owner stops it', async () => {
    await page.goto(`${dash!.url}/experiments`)
    await page.getByTestId('experiments').waitFor()
    await page.screenshot({ path: join(shots, 'experiments.png'), fullPage: true })
    expect(await seriousViolations(page)).toEqual([])
    await page.getByRole('link', { name: 'One-line answers' }).click()
    await page.waitForURL(new RegExp(`/experiments/${traffic.experimentId}$`))
    await page.getByTestId('variants').waitFor()
    const r = await apiJson<{
      variants: { id: string; label: string; posterior: { n: number; mean: number }; resolved: number }[]
      decision: { evidence: number }
    }>(`/analytics/experiments/${traffic.experimentId}`)
    const shown = await tableRows(page.getByTestId('variants'))
    expect(shown.map((x) => [x.key, x.cells.Closed, x.cells.Resolved, x.cells['Posterior mean']])).toEqual(
      r.variants.map((v) => [v.id, String(v.posterior.n), String(v.resolved), String(v.posterior.mean)]),
    )
    expect(r.variants.reduce((n, v) => n + v.posterior.n, 0)).toBeGreaterThan(0)
    await expect(page.getByTestId('decision-state').textContent()).resolves.toMatch(/waiting for 30 closed/)
    await page.screenshot({ path: join(shots, 'experiment.png'), fullPage: true })
    expect(await seriousViolations(page)).toEqual([])

    // The most resolved variant's "Resolved" opens exactly those conversations.
    const top = r.variants.reduce((a, b) => (b.resolved > a.resolved ? b : a))
    expect(top.resolved).toBeGreaterThan(0)
    await page.locator(`[data-testid=variants] tr[data-key="${top.id}"] td[data-col=Resolved] a`).click()
    await page.waitForURL(/\/conversations\?/)
    expect(new URL(page.url()).searchParams.get('variantId')).toBe(top.id)
    const resolvedOfTop = await apiList({ ...instants, variantId: top.id, resolved: 'true' })
    expect(resolvedOfTop.length).toBe(top.resolved)
    await expect.poll(reportIds).toEqual(resolvedOfTop)
    await page.goBack()
    await page.getByTestId('variants').waitFor()

    await page.getByRole('button', { name: 'Stop experiment' }).click()
    await page.getByRole('button', { name: 'Confirm stop' }).click()
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('stopped')
    await expect(page.getByTestId('decision-state').textContent()).resolves.toMatch(/^Stopped/)
    const after = await apiJson<{ status: string }>(`/experiments/${traffic.experimentId}`)
    expect(after.status).toBe('stopped')
    await page.screenshot({ path: join(shots, 'experiment-stopped.png'), fullPage: true })
  })

  it('the overview’s AI-resolved number clicks through to its conversations', async () => {
    await page.goto(`${dash!.url}/overview?${inPeriod}&granularity=day`)
    await page.getByTestId('kpi-ai_resolved').waitFor()
    const roi = await apiJson<{ totals: { ai_resolved: number } }>('/analytics/roi', {
      ...instants,
      granularity: 'day',
    })
    await page.getByTestId('kpi-ai_resolved').getByRole('link').click()
    await page.waitForURL(/\/conversations\?/)
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ ...period, resolved: 'true' })
    const resolved = await apiList({ ...instants, resolved: 'true' })
    expect(resolved.length).toBe(roi.totals.ai_resolved)
    await expect.poll(reportIds).toEqual(resolved)
  })

  it('a point of the overview’s AI-resolved trend clicks through to that day’s conversations', async () => {
    await page.goto(`${dash!.url}/overview?${inPeriod}&granularity=day`)
    const chart = page.getByTestId('trend-ai_resolved')
    await chart.waitFor()
    const roi = await apiJson<{ series: { day: string; ai_resolved: number }[] }>('/analytics/roi', {
      ...instants,
      granularity: 'day',
    })
    const last = roi.series.findLast((p) => p.ai_resolved > 0)!
    expect(last).toBeDefined()
    const day = last.day
    // The chart draws every day of the period (quiet days as gaps), edge to edge with no axis:
    // day i of n sits at i/(n−1) of its width.
    const n = (Date.parse(period.to) - Date.parse(period.from)) / DAY
    const i = (Date.parse(day) - Date.parse(period.from)) / DAY
    const box = (await chart.boundingBox())!
    const x = Math.min(Math.max((i / (n - 1)) * box.width, 2), box.width - 2)
    await chart.hover({ position: { x, y: box.height / 2 } })
    await chart.click({ position: { x, y: box.height / 2 } })
    await page.waitForURL(/\/conversations\?/)
    const next = new Date(Date.parse(day) + DAY).toISOString().slice(0, 10)
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({
      from: day,
      to: next < period.to ? next : period.to,
      resolved: 'true',
    })
    const want = await apiList({
      from: `${day}T00:00:00.000Z`,
      to: `${next < period.to ? next : period.to}T00:00:00.000Z`,
      resolved: 'true',
    })
    expect(want.length).toBe(last.ai_resolved)
    await expect.poll(reportIds).toEqual(want)
  })
})

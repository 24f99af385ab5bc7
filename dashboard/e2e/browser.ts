// Debian's Chromium driven by playwright-core (no browser download), with axe-core's check.
import AxeBuilder from '@axe-core/playwright'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { repoRoot } from './servers.js'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)
/** Where the tests' screenshots go (ignored by git); each test makes it in its beforeAll. */
export const shots = join(repoRoot, 'artifacts/screenshots')

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
}

/** axe-core's serious and critical findings on the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze()
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

/** A full-page screenshot `<file>.png`, and axe-core's serious/critical findings must be none. */
export async function check(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${file}.png`), fullPage: true })
  expect(await seriousViolations(page), file).toEqual([])
}

/**
 * A call through the dashboard's proxy from the page itself, with its session (the API's answer
 * for that user): writes carry the CSRF token, a body-less answer (204) is `json: null`. From the
 * browser rather than page.request: Chromium retries a request on a keep-alive socket the server
 * has just closed, where page.request fails with ECONNRESET.
 */
export async function callApi(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string; json: unknown }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const csrf = document.cookie.match(/(?:^|; )luneo_csrf=([^;]*)/)?.[1] ?? ''
      const res = await fetch(url, {
        method,
        headers: {
          ...(method === 'GET' ? {} : { 'x-csrf-token': decodeURIComponent(csrf) }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      return { status: res.status, text, json: (text ? JSON.parse(text) : null) as unknown }
    },
    { method, url: `/api/v1${path}`, body },
  )
}

/** RFC 4180 fields of a CSV file (quoted fields may hold commas, line breaks and doubled quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"'
      i++
    } else if (c === '"') {
      quoted = !quoted
    } else if (!quoted && c === ',') {
      row.push(field)
      field = ''
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, field])
      row = []
      field = ''
      i++
    } else {
      field += c
    }
  }
  return rows
}

/** Clicks a download button and reads the CSV file as rows of fields; every line ends with CRLF. */
export async function downloadCsv(page: Page, button: Locator): Promise<string[][]> {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()])
  const text = readFileSync(await file.path(), 'utf8')
  expect(text.endsWith('\r\n')).toBe(true)
  return parseCsv(text)
}

/**
 * Signs an owner up through the dashboard's form and waits for the onboarding wizard sign-up
 * leads to (ADR 0019); returns the session's CSRF token, for tests that then set their tenant up
 * through the API.
 */
export async function signUpOwner(
  page: Page,
  base: string,
  owner: { organization: string; email: string; password: string },
): Promise<string> {
  await page.goto(`${base}/sign-up`)
  await page.getByLabel('Organization name').fill(owner.organization)
  await page.getByLabel('Email').fill(owner.email)
  await page.getByLabel(/^Password/).fill(owner.password)
  await page.getByRole('button', { name: 'Create organization' }).click()
  await page.waitForURL(/\/onboarding$/)
  return (await page.context().cookies()).find((c) => c.name === 'luneo_csrf')?.value ?? ''
}

// Debian's Chromium driven by playwright-core (no browser download), with axe-core's check.
import AxeBuilder from '@axe-core/playwright'
import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)

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

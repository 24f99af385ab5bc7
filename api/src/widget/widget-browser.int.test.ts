import { existsSync, mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  as,
  confirmStarterKnowledge,
  createKey,
  signup,
  startTestApp,
  type TestApp,
} from '../testing/harness.js'

// The widget in a real browser: a host page on one origin loads /widget.js from the API on
// another, a visitor asks a question, and the grounded answer appears. A page on an origin the
// key does not list is refused by CORS before anything is written.

const CHROMIUM = process.env.LUNEO_CHROMIUM ?? '/usr/bin/chromium'
const SCREENSHOT = '.tmp/widget.png'
const QUESTION = 'How long does standard delivery take and how much does shipping cost?'

/** A page that embeds the widget with `key`, served from its own origin on 127.0.0.1. */
async function startHostPage(api: string) {
  let key = ''
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html><head><meta charset="utf-8"><title>Acme Shop</title></head>
<body style="font-family:sans-serif;margin:40px"><h1>Acme Shop</h1><p>Welcome to our store.</p>
<script src="${api}/widget.js" data-key="${key}" data-title="Ask Acme"></script></body></html>`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** The key is made after the page listens: it must name the page's origin. */
    embed(publicKey: string) {
      key = publicKey
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

let t: TestApp
let browser: Browser
let api: string
let apiKey: string
let agentId: string

// make test installs Chromium (infra/test.sh); elsewhere the suite says why it skips.
if (!existsSync(CHROMIUM))
  console.warn(`widget browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`)
describe.skipIf(!existsSync(CHROMIUM))('the widget in headless Chromium', () => {
  beforeAll(async () => {
    t = await startTestApp()
    api = await t.app.listen({ host: '127.0.0.1', port: 0 })
    const owner = await signup(t.app, 'ecommerce')
    apiKey = await createKey(t.app, owner, ['admin'])
    const agent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: as(apiKey),
      payload: { name: 'Acme assistant' },
    })
    agentId = agent.json().id
    await confirmStarterKnowledge(t.app, apiKey, agentId)
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  /** Creates a widget key allowing `origins`; returns its public key. */
  async function widgetKey(origins: string[]): Promise<string> {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/widget-keys',
      headers: as(apiKey),
      payload: { agentId, allowedOrigins: origins },
    })
    expect(r.statusCode, r.body).toBe(201)
    return r.json().publicKey
  }

  async function ask(page: Page, url: string, question: string) {
    await page.goto(url)
    await page.locator('button.launcher').click() // CSS locators pierce the open shadow root
    await page.locator('.composer input').fill(question)
    await page.locator('.composer input').press('Enter')
    await page.locator('.msg.visitor').waitFor()
    await page.locator('.msg.agent:not(.pending), .msg.error').first().waitFor({ timeout: 20_000 })
  }

  const widgetConversations = async () =>
    Number(
      (
        await t.deps.db
          .selectFrom('conversations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('channel', '=', 'widget')
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('answers a visitor on an allowed origin with the grounded reply', async () => {
    const host = await startHostPage(api)
    const origin = host.origin
    host.embed(await widgetKey([origin]))
    const page = await browser.newPage({ viewport: { width: 1024, height: 720 } })
    try {
      await ask(page, `${origin}/`, QUESTION)
      expect(await page.locator('.msg.error').count()).toBe(0)
      const shown = (await page.locator('.msg.agent').last().textContent()) ?? ''
      expect(await page.locator('.msg.visitor').textContent()).toBe(QUESTION)

      // What the page shows is the engine's grounded reply, stored in a widget conversation.
      const stored = await t.deps.db
        .selectFrom('messages as m')
        .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
        .select(['m.text', 'm.metadata'])
        .where('c.channel', '=', 'widget')
        .where('m.role', '=', 'agent')
        .orderBy('m.id', 'desc')
        .executeTakeFirstOrThrow()
      expect(shown).toBe(stored.text)
      expect((stored.metadata as { grounded: boolean }).grounded).toBe(true)
      expect(shown.toLowerCase()).toMatch(/deliver|shipping/)

      mkdirSync('.tmp', { recursive: true })
      await page.screenshot({ path: SCREENSHOT })
    } finally {
      await page.close()
      await host.close()
    }
  })

  it('refuses a page whose origin the key does not list: CORS blocks it and nothing is written', async () => {
    const publicKey = await widgetKey(['https://only-this-shop.example.com'])
    const host = await startHostPage(api)
    host.embed(publicKey)
    const page = await browser.newPage()
    const before = await widgetConversations()
    try {
      await ask(page, `${host.origin}/`, 'Hello?')
      expect(await page.locator('.msg.error').textContent()).toMatch(/not reachable/)
      expect(await page.locator('.msg.agent').count()).toBe(0)
      // The visitor's browser could not even make the call: a direct one from that origin is 403.
      const direct = await fetch(`${api}/widget/v1/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-luneo-widget-key': publicKey, origin: host.origin },
        body: '{}',
      })
      expect(direct.status).toBe(403)
      expect(((await direct.json()) as { code: string }).code).toBe('origin_forbidden')
      expect(await widgetConversations()).toBe(before)
    } finally {
      await page.close()
      await host.close()
    }
  })
})

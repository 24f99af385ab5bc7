// The settings screens and the organization switcher in a real browser against the real API. An
// owner creates, edits and deletes agents, creates an API key (copied from the shown-once panel
// and used against the API, then another revoked and refused), invites a member and sets the
// webhook; each result is checked against the API's own answer. The invited viewer reads the
// same pages without forms and is told why; then a second organization adds that person, who
// switches to it in the header and sees that organization's data, and back. axe-core on every
// page. Screenshots: artifacts/screenshots/settings-*.png.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi, check, hasChromium, launch, shots, signUpOwner } from './browser.js'
import { freePort, repoRoot, startApi, startDashboard, type Proc } from './servers.js'

const OWNER = {
  email: 'owner@settings.example',
  password: 'correct horse battery',
  organization: 'Settings Shoes',
}
const VIEWER = { email: 'viewer@settings.example', password: 'another horse battery' }
const SECOND = { email: 'owner@bakery.example', password: 'third horse battery', org: 'Second Bakery' }
const logDir = join(repoRoot, '.tmp/dashboard-e2e/settings')

interface Agent {
  id: string
  name: string
  templateVersion: string
  promptVersionId: string | null
  knowledgeBaseIds: string[]
  settings: { language?: string; greeting?: string; model?: string }
}

let api: Proc | undefined
let dash: Proc | undefined
let browser: Browser | undefined
let owner: Page
let viewer: Page

const csrfOf = async (ctx: BrowserContext) =>
  (await ctx.cookies()).find((c) => c.name === 'luneo_csrf')?.value ?? ''

async function get<T>(page: Page, path: string): Promise<T> {
  const r = await callApi(page, 'GET', path)
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.json)}`)
  return r.json as T
}

/** A full navigation: the session and the screen load again from the API. */
const open = (page: Page, path: string) => page.goto(`${dash!.url}${path}`)

describe.skipIf(!hasChromium)('settings in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(logDir, { recursive: true })
    mkdirSync(shots, { recursive: true })
    const port = await freePort()
    api = await startApi(`http://127.0.0.1:${port}`, logDir)
    dash = await startDashboard(port, api.url, logDir)
    browser = await launch()
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: dash.url })
    owner = await ctx.newPage()
    // sign-up leads to the onboarding wizard (ADR 0019); this test sets its tenant up through the API
    await signUpOwner(owner, dash.url, OWNER)
  })

  afterAll(async () => {
    await browser?.close()
    await dash?.stop()
    await api?.stop()
  })

  it('as owner: creates an agent, edits it, deletes another', async () => {
    await owner.getByRole('link', { name: 'Settings' }).click()
    await owner.waitForURL(/\/settings$/)
    await owner.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Agents' }).click()
    await owner.waitForURL(/\/settings\/agents$/)
    await expect(owner.getByTestId('empty').textContent()).resolves.toMatch(/No agent yet/)
    await check(owner, 'settings-agents-empty')

    const form = owner.getByTestId('agent-form-new')
    await form.getByLabel('Name').fill('Returns helper')
    await form.getByLabel('Greeting').fill('Hello! How can I help with your order?')
    await form.getByRole('button', { name: 'Create agent' }).click()
    await owner.getByTestId('agents').waitFor()
    let agents = (await get<{ items: Agent[] }>(owner, '/agents')).items
    expect(agents.map((a) => a.name)).toEqual(['Returns helper'])
    const created = agents[0]!
    expect(created.settings).toEqual({ greeting: 'Hello! How can I help with your order?' })
    // None ticked: the API made the template's starter knowledge base, and the list names it.
    expect(created.knowledgeBaseIds).toHaveLength(1)
    const kbs = (await get<{ items: { id: string; name: string }[] }>(owner, '/knowledge-bases')).items
    const row = owner.locator(`[data-testid=agent][data-id="${created.id}"]`)
    await expect(row.getByTestId('agent-kbs').textContent()).resolves.toBe(kbs[0]!.name)

    // Edit: rename, a language, and no knowledge base any more.
    await row.getByRole('button', { name: /^Edit/ }).click()
    const edit = owner.getByTestId(`agent-form-${created.id}`)
    await edit.getByLabel('Name').fill('Returns desk')
    await edit.getByLabel('Language').fill('fr')
    await edit.getByLabel(kbs[0]!.name).uncheck()
    await check(owner, 'settings-agents-edit')
    await edit.getByRole('button', { name: 'Save agent' }).click()
    await row.getByTestId('agent-name').filter({ hasText: 'Returns desk' }).waitFor()
    const edited = await get<Agent>(owner, `/agents/${created.id}`)
    expect(edited).toMatchObject({ name: 'Returns desk', knowledgeBaseIds: [], promptVersionId: null })
    expect(edited.settings).toEqual({ language: 'fr', greeting: 'Hello! How can I help with your order?' })
    await expect(row.getByTestId('agent-kbs').textContent()).resolves.toBe('none')

    // A second agent, with the starter knowledge base ticked, then deleted.
    await form.getByLabel('Name').fill('Spare bot')
    await form.getByLabel(kbs[0]!.name).check()
    await form.getByRole('button', { name: 'Create agent' }).click()
    await owner.getByTestId('agent-name').filter({ hasText: 'Spare bot' }).waitFor()
    agents = (await get<{ items: Agent[] }>(owner, '/agents')).items
    const spare = agents.find((a) => a.name === 'Spare bot')!
    expect(spare.knowledgeBaseIds).toEqual([kbs[0]!.id])
    const spareRow = owner.locator(`[data-testid=agent][data-id="${spare.id}"]`)
    await spareRow.getByRole('button', { name: /^Delete/ }).click()
    await spareRow.getByRole('button', { name: 'Delete Spare bot for good' }).click()
    await spareRow.waitFor({ state: 'detached' })
    agents = (await get<{ items: Agent[] }>(owner, '/agents')).items
    expect(agents.map((a) => a.name)).toEqual(['Returns desk'])
    await owner.getByTestId('agents').waitFor()
    await check(owner, 'settings-agents')
  })

  it('shows the organization, its vertical template and version, and currency as the API has them', async () => {
    await owner
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('link', { name: 'Organization' })
      .click()
    await owner.waitForURL(/\/settings$/)
    await owner.getByTestId('organization-facts').waitFor()
    const org = await get<{ name: string; roiAssumptions: { currency: string } }>(owner, '/organization')
    const [agent] = (await get<{ items: Agent[] }>(owner, '/agents')).items
    const fact = (id: string) => owner.getByTestId(`org-${id}`).locator('dd').textContent()
    await expect(fact('name')).resolves.toBe(org.name)
    await expect(fact('vertical')).resolves.toBe('E-commerce')
    await expect(fact('template-version')).resolves.toBe(agent!.templateVersion)
    await expect(fact('currency')).resolves.toBe(org.roiAssumptions.currency)
    // Privacy: names kept out of remote prompts by default; the owner allows them, the API agrees.
    await expect(owner.getByTestId('privacy-names').textContent()).resolves.toMatch(/kept out/)
    await owner.getByRole('button', { name: 'Allow names in remote prompts' }).click()
    await owner.getByTestId('privacy-names').filter({ hasText: 'allowed' }).waitFor()
    const after = await get<{ privacy: { namesToRemoteModels: boolean } }>(owner, '/organization')
    expect(after.privacy.namesToRemoteModels).toBe(true)
    await check(owner, 'settings-organization')
    await owner.getByRole('button', { name: 'Keep names out of remote prompts' }).click()
    await owner.getByTestId('privacy-names').filter({ hasText: 'kept out' }).waitFor()
  })

  it('as owner: reads what is removed when, and sets the retention policy the API then holds', async () => {
    const section = owner.getByTestId('retention')
    await section.getByTestId('retention-explained').waitFor()
    await expect(section.getByTestId('retention-explained').textContent()).resolves.toMatch(
      /365 days after a conversation’s last message.*730 days/,
    )
    await section.getByLabel(/Conversations, days/).fill('0')
    await section.getByRole('button', { name: 'Save retention' }).click()
    // the browser's own bound (min 1) stops it before the API: nothing changes
    expect(await get<{ conversationDays: number }>(owner, '/organization/retention')).toMatchObject({
      conversationDays: 365,
    })
    await section.getByLabel(/Conversations, days/).fill('90')
    await section.getByLabel(/Analytics, days/).fill('400')
    await section.getByRole('button', { name: 'Save retention' }).click()
    await section.getByTestId('retention-explained').filter({ hasText: '90 days after' }).waitFor()
    expect(await get(owner, '/organization/retention')).toMatchObject({
      conversationDays: 90,
      analyticsDays: 400,
    })
    await check(owner, 'settings-retention')
  })

  it('as owner: erases a contact from their transcript and sees the erasure finish', async () => {
    const agent = (await callApi(owner, 'POST', '/agents', { name: 'Erase test', knowledgeBaseIds: [] }))
      .json as {
      id: string
    }
    const conv = (
      await callApi(owner, 'POST', '/conversations', {
        agentId: agent.id,
        channel: 'api',
        contact: { name: 'Wilhelmina Erased', email: 'wilhelmina@erase.example' },
      })
    ).json as { id: string }
    await callApi(owner, 'POST', `/conversations/${conv.id}/messages`, { text: 'Where is my parcel 9911?' })
    await open(owner, `/conversations/${conv.id}`)
    await owner.getByTestId('transcript').waitFor()
    await owner.getByRole('button', { name: 'Erase this contact…' }).click()
    await expect(owner.getByTestId('erase-confirm').textContent()).resolves.toMatch(
      /removes Wilhelmina Erased and every conversation of theirs.*cannot be undone/,
    )
    await check(owner, 'settings-erase-confirm')
    await owner.getByRole('button', { name: 'Erase for good' }).click()
    await owner.getByTestId('erasure-done').waitFor({ timeout: 60_000 })
    await expect(owner.getByTestId('erasure-done').textContent()).resolves.toMatch(
      /1 conversation\(s\) and 2 message\(s\) removed/,
    )
    // What was on screen no longer exists: the transcript goes with it.
    expect(await owner.getByTestId('transcript').count()).toBe(0)
    await check(owner, 'settings-erase-done')
    expect((await callApi(owner, 'GET', `/conversations/${conv.id}`)).status).toBe(404)
    // Its only conversation gone, the agent can go too: the later tests count the owner's agents.
    expect((await callApi(owner, 'DELETE', `/agents/${agent.id}`)).status).toBe(204)
    await open(owner, '/settings')
    await owner.getByTestId('organization-facts').waitFor()
  })

  it('as owner: creates an API key whose secret, shown once, calls the API; revokes another', async () => {
    await owner.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API keys' }).click()
    await owner.waitForURL(/\/settings\/api-keys$/)
    await expect(owner.getByTestId('empty').textContent()).resolves.toMatch(/No API key yet/)
    await owner.getByLabel('Name').fill('CI export')
    await owner.getByRole('button', { name: 'Create key' }).click()
    const secret = (await owner.getByTestId('secret').textContent())!
    expect(secret).toMatch(/^lk_/)
    await owner.getByRole('button', { name: 'Copy', exact: true }).click()
    await owner.getByText('Copied to the clipboard.').waitFor()
    expect(await owner.evaluate(() => navigator.clipboard.readText())).toBe(secret)
    await owner.locator('[data-testid=api-keys] tbody tr').first().waitFor()
    await check(owner, 'settings-api-keys')

    // The key works against the API itself (analytics:read may read the agents)…
    const asKey = await fetch(`${api!.url}/api/v1/agents`, { headers: { authorization: `Bearer ${secret}` } })
    expect(asKey.status).toBe(200)
    expect(((await asKey.json()) as { items: Agent[] }).items.map((a) => a.name)).toEqual(['Returns desk'])
    // …and its scope holds: analytics:read may not create an agent.
    const write = await fetch(`${api!.url}/api/v1/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', knowledgeBaseIds: [] }),
    })
    expect(write.status).toBe(403)
    await owner.getByRole('button', { name: 'I have copied it' }).click()
    await owner.getByTestId('shown-once').waitFor({ state: 'detached' })

    // A second key, revoked in the UI: the API refuses it at once.
    await owner.getByLabel('Name').fill('Temporary')
    await owner.getByRole('button', { name: 'Create key' }).click()
    const temp = (await owner.getByTestId('secret').textContent())!
    await owner.getByRole('button', { name: 'I have copied it' }).click()
    const keys = (await get<{ items: { id: string; name: string; prefix: string }[] }>(owner, '/api-keys'))
      .items
    expect(keys.map((k) => k.name).sort()).toEqual(['CI export', 'Temporary'])
    expect(keys.find((k) => k.name === 'CI export')!.prefix).toBe(secret.slice(0, 10))
    const tempRow = owner.locator(`tr[data-id="${keys.find((k) => k.name === 'Temporary')!.id}"]`)
    await tempRow.getByRole('button', { name: /^Revoke/ }).click()
    await tempRow.getByRole('button', { name: 'Revoke Temporary now' }).click()
    await tempRow.waitFor({ state: 'detached' })
    const refused = await fetch(`${api!.url}/api/v1/agents`, { headers: { authorization: `Bearer ${temp}` } })
    expect(refused.status).toBe(401)
    const left = (await get<{ items: { name: string }[] }>(owner, '/api-keys')).items
    expect(left.map((k) => k.name)).toEqual(['CI export'])
  })

  it('as owner: invites a viewer, who accepts and is listed with the role', async () => {
    await owner.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Members' }).click()
    await owner.waitForURL(/\/settings\/members$/)
    await owner.getByTestId('members').waitFor()
    await owner.getByLabel('Email').fill(VIEWER.email)
    await owner.getByLabel('Role').selectOption('viewer')
    await owner.getByRole('button', { name: 'Invite' }).click()
    const link = (await owner.getByTestId('secret').textContent())!
    expect(link).toMatch(new RegExp(`^${dash!.url}/accept-invite#.+`))
    await check(owner, 'settings-members-invited')
    // The invitee opens the link in their own browser and chooses a password.
    viewer = await (await browser!.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    await viewer.goto(link)
    // The token is read from the fragment once the page has hydrated.
    await expect
      .poll(() => viewer.getByLabel('Invitation token').inputValue())
      .toBe(decodeURIComponent(link.split('#')[1]!))
    await check(viewer, 'settings-accept-invite')
    await viewer.getByLabel(/^Password/).fill(VIEWER.password)
    await viewer.getByRole('button', { name: 'Accept invitation' }).click()
    await viewer.waitForURL(/\/overview$/)
    await owner.getByRole('button', { name: 'I have copied it' }).click()
    await owner.reload()
    await owner.locator(`tr[data-email="${VIEWER.email}"]`).waitFor()
    const members = (await get<{ items: { email: string; role: string }[] }>(owner, '/members')).items
    const rows = owner.locator('[data-testid=members] tbody tr')
    expect(
      await rows.evaluateAll((rs) =>
        rs.map((r) => [
          r.getAttribute('data-email'),
          r.querySelector('[data-testid=member-role]')?.textContent,
        ]),
      ),
    ).toEqual(members.map((m) => [m.email, m.role]))
    expect(members.map((m) => [m.email, m.role]).sort()).toEqual([
      [OWNER.email, 'owner'],
      [VIEWER.email, 'viewer'],
    ])
    await check(owner, 'settings-members')
  })

  it('as owner: sets the webhook; its secret is shown once; the API holds the URL', async () => {
    await owner.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Webhook' }).click()
    await owner.waitForURL(/\/settings\/webhook$/)
    await expect(owner.getByTestId('webhook-url').textContent()).resolves.toMatch(/no webhook/)
    await owner.getByLabel(/Webhook URL/).fill('https://hooks.example.com/luneo')
    await owner.getByRole('button', { name: 'Save webhook' }).click()
    await expect(owner.getByTestId('secret').textContent()).resolves.toMatch(/^whsec_/)
    await expect(owner.getByTestId('webhook-url').textContent()).resolves.toBe(
      'https://hooks.example.com/luneo',
    )
    expect(await get<{ url: string }>(owner, '/organization/webhook')).toEqual({
      url: 'https://hooks.example.com/luneo',
    })
    await check(owner, 'settings-webhook')
    // A refused URL: the API's problem detail is shown, and nothing changes.
    await owner.getByLabel(/Webhook URL/).fill('ftp://files.example.com/x')
    await owner.getByRole('button', { name: 'Save webhook' }).click()
    const shown = await owner.getByTestId('error').textContent()
    const direct = await callApi(owner, 'PUT', '/organization/webhook', { url: 'ftp://files.example.com/x' })
    expect(direct.status).toBe(400)
    // the API's detail, then the field it names (the form lists field errors under the message)
    expect(shown?.startsWith((direct.json as { detail: string }).detail)).toBe(true)
    expect(await get<{ url: string }>(owner, '/organization/webhook')).toEqual({
      url: 'https://hooks.example.com/luneo',
    })
  })

  it('as viewer: reads agents, members and the organization without forms, and is told why', async () => {
    // Signed out, then in again: the password chosen with the invitation works.
    await viewer.getByRole('button', { name: 'Sign out' }).click()
    await viewer.waitForURL(/\/sign-in$/)
    await viewer.goto(`${dash!.url}/sign-in?next=%2Fsettings%2Fagents`)
    await viewer.getByLabel('Email', { exact: true }).fill(VIEWER.email)
    await viewer.getByLabel('Password').fill(VIEWER.password)
    await viewer.getByRole('button', { name: 'Sign in' }).click()
    await viewer.waitForURL(/\/settings\/agents$/)
    await viewer.getByTestId('agents').waitFor()
    await expect(viewer.getByTestId('agent-name').allTextContents()).resolves.toEqual(['Returns desk'])
    await expect(viewer.getByTestId('read-only').textContent()).resolves.toMatch(
      /needs the admin role.*you are viewer/,
    )
    expect(
      await viewer
        .getByRole('button')
        .filter({ hasText: /Edit|Delete|Create agent/ })
        .count(),
    ).toBe(0)
    await check(viewer, 'settings-viewer-agents')

    await open(viewer, '/settings/members')
    await viewer.getByTestId('members').waitFor()
    await expect(viewer.getByTestId('read-only').textContent()).resolves.toMatch(
      /inviting a member needs the admin role/,
    )
    expect(await viewer.getByRole('button', { name: 'Invite' }).count()).toBe(0)
    await check(viewer, 'settings-viewer-members')

    for (const path of ['api-keys', 'webhook']) {
      await open(viewer, `/settings/${path}`)
      await expect(viewer.getByTestId('role-gate').textContent()).resolves.toBe(
        'This screen needs the admin role or higher; you are viewer.',
      )
      await check(viewer, `settings-viewer-${path}`)
    }
    await open(viewer, '/settings')
    await viewer.getByTestId('organization-facts').waitFor()
    await viewer.getByTestId('retention-explained').waitFor()
    await expect(viewer.getByTestId('read-only').allTextContents()).resolves.toEqual([
      expect.stringMatching(/changing what remote models read needs the admin role/),
      expect.stringMatching(/changing how long data is kept needs the admin role/),
    ])
    await check(viewer, 'settings-viewer-organization')
  })

  it('switches a member of two organizations in the header and shows the other one’s data', async () => {
    // A second organization (its own owner, its own agent) invites the viewer as an admin; an
    // existing account accepts with its own password (an invitation never says an email has one).
    const ctx = await browser!.newContext()
    const second = ctx.request
    const signup = await second.post(`${dash!.url}/api/v1/auth/signup`, {
      data: {
        email: SECOND.email,
        password: SECOND.password,
        organizationName: SECOND.org,
        vertical: 'real_estate',
      },
    })
    expect(signup.status()).toBe(201)
    const secondOrg = ((await signup.json()) as { organization: { id: string } }).organization.id
    const headers = { 'x-csrf-token': await csrfOf(ctx) }
    const agent = await second.post(`${dash!.url}/api/v1/agents`, {
      data: { name: 'Bakery lettings bot', knowledgeBaseIds: [] },
      headers,
    })
    expect(agent.status()).toBe(201)
    const added = await second.post(`${dash!.url}/api/v1/members`, {
      data: { email: VIEWER.email, role: 'admin' },
      headers,
    })
    const invitation = (await added.json()) as { status: string; inviteToken: string }
    expect(invitation.status).toBe('invited')
    const elsewhere = await browser!.newContext()
    const accepted = await elsewhere.request.post(`${dash!.url}/api/v1/auth/accept-invite`, {
      data: { token: invitation.inviteToken, password: VIEWER.password },
    })
    expect(accepted.status()).toBe(201)
    await elsewhere.close()

    await open(viewer, '/settings/agents')
    const switcher = viewer.getByTestId('organization-switcher')
    await switcher.waitFor()
    expect(await switcher.locator('option').allTextContents()).toEqual([
      `${OWNER.organization} (viewer)`,
      `${SECOND.org} (admin)`,
    ])
    await check(viewer, 'settings-switcher')
    await switcher.selectOption({ label: `${SECOND.org} (admin)` })
    // The screen reloads as the other organization: its agent, the admin's forms, not the first's.
    await viewer.getByTestId('agent-name').filter({ hasText: 'Bakery lettings bot' }).waitFor()
    await expect(viewer.getByTestId('agent-name').allTextContents()).resolves.toEqual(['Bakery lettings bot'])
    await viewer.getByRole('button', { name: 'Create agent' }).waitFor()
    expect(await viewer.getByTestId('read-only').count()).toBe(0)
    const me = await get<{ organization: { id: string }; role: string }>(viewer, '/auth/me')
    expect([me.organization.id, me.role]).toEqual([secondOrg, 'admin'])
    await check(viewer, 'settings-switched-agents')
    // The other organization's settings, as its admin.
    await open(viewer, '/settings/webhook')
    await expect(viewer.getByTestId('webhook-url').textContent()).resolves.toMatch(/no webhook/)
    await open(viewer, '/settings')
    await expect(viewer.getByTestId('org-name').locator('dd').textContent()).resolves.toBe(SECOND.org)
    await expect(viewer.getByTestId('org-vertical').locator('dd').textContent()).resolves.toBe('Real estate')
    await check(viewer, 'settings-switched-organization')

    // On a phone: the menu wraps above the page, the switcher stays in the header.
    await viewer.setViewportSize({ width: 390, height: 844 })
    await viewer.getByTestId('organization-switcher').waitFor()
    await check(viewer, 'settings-phone')
    await viewer.setViewportSize({ width: 1280, height: 900 })

    // And back.
    await viewer
      .getByTestId('organization-switcher')
      .selectOption({ label: `${OWNER.organization} (viewer)` })
    await viewer.getByTestId('org-name').filter({ hasText: OWNER.organization }).waitFor()
    const back = await get<{ role: string }>(viewer, '/auth/me')
    expect(back.role).toBe('viewer')
    await ctx.close()
  })
})

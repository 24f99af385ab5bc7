import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listChunks, markDocumentIndexed } from '@luneo/warehouse'
import { reindexPending } from '../services/knowledge.js'
import { addMember, as, signup, startTestApp, type Session, type TestApp } from '../testing/harness.js'

// ADR 0019: the template's starter documents state invented policies ("30-day returns"). Through
// the real engine: none reaches a customer until the owner answers or confirms, and then it does.

let t: TestApp
let owner: Session
let agentId: string
beforeAll(async () => {
  t = await startTestApp()
  owner = await signup(t.app, 'ecommerce', 'Lumen Shop')
  const agent = await call('POST', '/agents', { name: 'Lumen assistant' })
  expect(agent.statusCode, agent.body).toBe(201)
  agentId = agent.json().id
})
afterAll(async () => t?.close())

function call(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, who: Session = owner) {
  return t.app.inject({ method, url: `/api/v1${url}`, headers: as(who), ...(payload ? { payload } : {}) })
}

interface Reply {
  reply: string
  grounded: boolean
  sources: { documentId: string; title: string }[]
}

async function ask(text: string): Promise<Reply> {
  const c = await call('POST', '/conversations', { agentId, channel: 'api' })
  const r = await call('POST', `/conversations/${c.json().id}/messages`, { text })
  expect(r.statusCode, r.body).toBe(201)
  return r.json()
}

const auditActions = async () =>
  (
    await t.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('organization_id', '=', owner.organizationId)
      .execute()
  ).map((r) => r.action)

describe('starter facts the owner has not confirmed', () => {
  it('are stored, shown unconfirmed, and never answer a customer', async () => {
    const agent = (await call('GET', `/agents/${agentId}`)).json()
    const docs = (await call('GET', `/knowledge-bases/${agent.knowledgeBaseIds[0]}/documents`)).json().items
    expect(docs.map((d: { title: string }) => d.title)).toContain('Return policy')
    for (const d of docs) expect(d).toMatchObject({ source: 'template', confirmedAt: null, indexedAt: null })
    const r = await ask('What is your return policy?')
    expect(r.reply).not.toMatch(/30 days/)
    expect(r.grounded).toBe(false)
    expect(r.sources.map((s) => s.title)).not.toContain('Return policy')
    const shipping = await ask('How long does delivery take?')
    expect(shipping.reply).not.toMatch(/2 to 4 business days/)
  })
})

describe('onboarding answers', () => {
  it('lists the template’s questions with no answers yet', async () => {
    const res = await call('GET', '/onboarding')
    expect(res.statusCode, res.body).toBe(200)
    const o = res.json()
    expect(o).toMatchObject({
      vertical: 'ecommerce',
      templateName: 'E-commerce store',
      answered: 0,
      required: 6,
      complete: false,
      knowledgeBaseId: null,
      minutesHumanPerConversation: 6,
      agentId,
    })
    expect(o.questions.find((q: { id: string }) => q.id === 'platform')).toMatchObject({
      kind: 'choice',
      options: ['Shopify', 'WooCommerce', 'Magento', 'PrestaShop', 'BigCommerce', 'Other'],
      customerFacing: false,
      answer: null,
    })
  })

  it('refuses answers that do not fit their question, all at once, and writes nothing', async () => {
    const before = await auditActions()
    const res = await call('PUT', '/onboarding/answers', {
      answers: {
        store_url: 'not a url',
        return_window_days: 'fourteen',
        platform: 'Etsy',
        support_hours: '   ',
        favourite_colour: 'blue',
      },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('validation_failed')
    const paths = res.json().errors.map((e: { path: string }) => e.path)
    for (const id of ['store_url', 'return_window_days', 'platform', 'support_hours', 'favourite_colour'])
      expect(paths).toContain(`body.answers.${id}`)
    expect((await call('GET', '/onboarding')).json().answered).toBe(0)
    expect(await auditActions()).toEqual(before)
  })

  it('a viewer may read the questions but not answer them', async () => {
    const viewer = await addMember(t.app, owner, 'viewer')
    expect((await call('GET', '/onboarding', undefined, viewer)).statusCode).toBe(200)
    const res = await call('PUT', '/onboarding/answers', { answers: { return_window_days: 3 } }, viewer)
    expect(res.statusCode).toBe(403)
  })

  it('turns the owner’s answers into confirmed knowledge the engine answers from', async () => {
    const res = await call('PUT', '/onboarding/answers', {
      answers: {
        store_url: 'https://lumen.example.com',
        platform: 'Shopify',
        return_window_days: 14,
        average_order_value: 48.5,
      },
    })
    expect(res.statusCode, res.body).toBe(200)
    const o = res.json()
    expect(o).toMatchObject({ answered: 4, complete: false })
    expect(o.knowledgeBaseId).not.toBeNull()
    const byId = Object.fromEntries(o.questions.map((q: { id: string }) => [q.id, q]))
    expect(byId.return_window_days).toMatchObject({ answer: '14', customerFacing: true })
    expect(byId.return_window_days.documentId).not.toBeNull()
    // An internal figure is kept as an answer, never told to customers.
    expect(byId.average_order_value).toMatchObject({ answer: '48.5', documentId: null })
    const doc = (
      await call(
        'GET',
        `/knowledge-bases/${o.knowledgeBaseId}/documents/${byId.return_window_days.documentId}`,
      )
    ).json()
    expect(doc).toMatchObject({
      source: 'onboarding',
      text: 'Items can be returned within 14 days of delivery.',
    })
    expect(doc.confirmedAt).not.toBeNull()
    // The agent was created before the answers: it answers from them now.
    expect((await call('GET', `/agents/${agentId}`)).json().knowledgeBaseIds).toContain(o.knowledgeBaseId)

    const r = await ask('What is your return policy?')
    expect(r.grounded).toBe(true)
    expect(r.reply).toContain('14 days')
    expect(r.reply).not.toMatch(/30 days/)
    expect(r.sources.map((s) => s.title)).toContain('Return window')
    expect(await auditActions()).toContain('onboarding.answers_saved')
  })

  it('a changed answer replaces its document; the old fact is gone', async () => {
    const res = await call('PUT', '/onboarding/answers', { answers: { return_window_days: 21 } })
    expect(res.statusCode, res.body).toBe(200)
    const r = await ask('How long do I have to return an item?')
    expect(r.reply).toContain('21 days')
    expect(r.reply).not.toContain('14 days')
    const docs = (await call('GET', `/knowledge-bases/${res.json().knowledgeBaseId}/documents`)).json().items
    expect(docs.filter((d: { title: string }) => d.title === 'Return window')).toHaveLength(1)
  })

  it('an agent created after the answers starts with them', async () => {
    const o = (await call('GET', '/onboarding')).json()
    const second = (await call('POST', '/agents', { name: 'Second' })).json()
    expect(second.knowledgeBaseIds).toHaveLength(2)
    expect(second.knowledgeBaseIds).toContain(o.knowledgeBaseId)
  })
})

describe('confirming a starter document', () => {
  it('makes the engine answer from it, and only from then', async () => {
    const agent = (await call('GET', `/agents/${agentId}`)).json()
    const kb = agent.knowledgeBaseIds[0]
    const docs = (await call('GET', `/knowledge-bases/${kb}/documents`)).json().items
    const shipping = docs.find((d: { title: string }) => d.title === 'Shipping times and costs')
    expect((await ask('How long does standard delivery take?')).reply).not.toMatch(/2 to 4 business days/)
    const res = await call('POST', `/knowledge-bases/${kb}/documents/${shipping.id}/confirm`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().confirmedAt).not.toBeNull()
    expect(res.json().indexedAt).not.toBeNull()
    const r = await ask('How long does standard delivery take?')
    expect(r.grounded).toBe(true)
    expect(r.reply).toMatch(/2 to 4 business days/)
    expect(await auditActions()).toContain('document.confirmed')
    // The other starter documents are still unconfirmed: the invented return policy stays out.
    expect((await ask('What is your return policy?')).reply).not.toMatch(/30 days/)
  })
})

describe('a database from before confirmation existed', () => {
  it('withdraws starter vectors from the store at start, so they stop answering', async () => {
    const owner2 = await signup(t.app, 'ecommerce', 'Old Shop')
    const agent = (await call('POST', '/agents', { name: 'Old bot' }, owner2)).json()
    const kb = agent.knowledgeBaseIds[0] as string
    const docs = (await call('GET', `/knowledge-bases/${kb}/documents`, undefined, owner2)).json().items
    const returns = docs.find((d: { title: string }) => d.title === 'Return policy')
    // As migration 0008 leaves such a document: unconfirmed, yet its vectors in the store.
    const chunks = await listChunks(t.deps.db, owner2.organizationId, returns.id)
    await t.deps.ai.index.replaceDocument(
      owner2.organizationId,
      kb,
      returns.id,
      chunks.map((c) => ({ id: c.id, documentId: returns.id, title: returns.title, text: c.text })),
      returns.questions,
    )
    await markDocumentIndexed(t.deps.db, owner2.organizationId, returns.id)
    const hits = await t.deps.ai.index.query(owner2.organizationId, [kb], 'What is your return policy?', 3)
    expect(hits.map((h) => h.documentId)).toContain(returns.id)

    const lines: string[] = []
    await reindexPending(t.deps, (l) => lines.push(l))
    expect(lines.join('\n')).toMatch(/1 unconfirmed starter document\(s\) withdrawn/)
    const after = await t.deps.ai.index.query(owner2.organizationId, [kb], 'What is your return policy?', 3)
    expect(after.map((h) => h.documentId)).not.toContain(returns.id)
    const doc = (
      await call('GET', `/knowledge-bases/${kb}/documents/${returns.id}`, undefined, owner2)
    ).json()
    expect(doc).toMatchObject({ confirmedAt: null, indexedAt: null })
  })
})

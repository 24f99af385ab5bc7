import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, createKey, signup, startTestApp, type TestApp } from '../testing/harness.js'

let t: TestApp
let key: string
beforeAll(async () => {
  t = await startTestApp()
  key = await createKey(t.app, await signup(t.app), ['admin', 'conversations:write'])
})
afterAll(async () => t?.close())

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { ...as(key), ...headers },
    payload: payload as object,
  })

async function ask(agent: string, text: string) {
  const c = (await post('/conversations', { agentId: agent, channel: 'api' })).json().id
  return (await post(`/conversations/${c}/messages`, { text })).json()
}

describe('knowledge documents', () => {
  it('re-indexing a changed document replaces its chunks and vectors', async () => {
    const kb = (await post('/knowledge-bases', { name: 'Store' })).json().id
    const doc = (
      await post(`/knowledge-bases/${kb}/documents`, {
        title: 'Opening hours',
        text: 'Our store opens at 9 am and closes at 6 pm from Monday to Saturday.',
      })
    ).json()
    expect(doc.indexedAt).not.toBeNull()
    const agent = (await post('/agents', { name: 'a', knowledgeBaseIds: [kb] })).json().id
    const before = await ask(agent, 'When does the store open and close?')
    expect(before.grounded).toBe(true)
    expect(before.reply).toContain('9 am')

    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/knowledge-bases/${kb}/documents/${doc.id}`,
      headers: as(key),
      payload: { title: 'Shipping abroad', text: 'We ship to Canada and Mexico within ten business days.' },
    })
    expect(put.statusCode, put.body).toBe(200)
    const chunks = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/knowledge-bases/${kb}/documents/${doc.id}/chunks`,
        headers: as(key),
      })
    ).json()
    expect(chunks.items.map((c: { text: string }) => c.text)).toEqual([
      'We ship to Canada and Mexico within ten business days.',
    ])
    const after = await ask(agent, 'When does the store open and close?')
    expect(after.reply).not.toContain('9 am')
    expect((await ask(agent, 'Do you ship to Canada?')).reply).toContain('Canada')
  })

  it('FAQ questions are matched on their own', async () => {
    const kb = (await post('/knowledge-bases', { name: 'FAQ' })).json().id
    await post(`/knowledge-bases/${kb}/documents`, {
      title: 'Gift wrapping',
      text: 'Every order can be wrapped in recycled paper with a handwritten card for 3 euros.',
      questions: ['Do you offer gift wrapping?', 'Can you wrap my present?'],
    })
    const agent = (await post('/agents', { name: 'b', knowledgeBaseIds: [kb] })).json().id
    const r = await ask(agent, 'can you wrap it as a present for my mum?')
    expect(r.grounded).toBe(true)
    expect(r.reply).toContain('recycled paper')
  })

  it('uploads a .md file as a document and refuses other types', async () => {
    const kb = (await post('/knowledge-bases', { name: 'Uploads' })).json().id
    const form = (name: string, body: string) => {
      const b = 'xBOUNDARYx'
      return {
        payload: `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n${body}\r\n--${b}--\r\n`,
        headers: { 'content-type': `multipart/form-data; boundary=${b}` },
      }
    }
    const md = form('returns-policy.md', '# Returns\n\nReturns are free for 30 days.')
    const ok = await post(`/knowledge-bases/${kb}/documents/upload`, md.payload, md.headers)
    expect(ok.statusCode, ok.body).toBe(201)
    expect(ok.json()).toMatchObject({ title: 'returns-policy', source: 'upload' })
    const pdf = form('scan.pdf', '%PDF-1.4')
    const bad = await post(`/knowledge-bases/${kb}/documents/upload`, pdf.payload, pdf.headers)
    expect(bad.statusCode).toBe(400)
    expect(bad.json().code).toBe('validation_failed')
  })

  it('an intent correction teaches the classifier on the next message', async () => {
    const agent = (await post('/agents', { name: 'c', knowledgeBaseIds: [] })).json().id
    const phrase = 'zorblax thingamajig please'
    expect((await ask(agent, phrase)).intent).not.toBe('discount_code')
    const corr = await post('/intent-corrections', { text: phrase, intent: 'discount_code' })
    expect(corr.statusCode, corr.body).toBe(201)
    for (let i = 0; i < 4; i++)
      await post('/intent-corrections', { text: `${phrase} ${i}`, intent: 'discount_code' })
    expect((await ask(agent, phrase)).intent).toBe('discount_code')
    const bad = await post('/intent-corrections', { text: 'x', intent: 'not_an_intent' })
    expect(bad.statusCode).toBe(400)
  })
})

describe('a malformed multipart upload', () => {
  it('without a boundary is a 400, not a 500', async () => {
    const kb = (await post('/knowledge-bases', { name: 'Broken uploads' })).json().id
    const r = await post(`/knowledge-bases/${kb}/documents/upload`, '', {
      'content-type': 'multipart/form-data',
    })
    expect(r.statusCode).toBe(400)
    expect(r.json().code).toBe('validation_failed')
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBgeSmallModel } from '@luneo/models'
import { as, createKey, signup, startTestApp, type TestApp } from '../testing/harness.js'
import { RETURNS_DOCUMENT, RETURNS_QUESTIONS, UNRELATED_QUESTION } from './returns.js'

// The example through the API on the default (semantic) embedder: a knowledge base with one
// returns document answers both ways of asking, with the document as source, and leaves an
// unrelated question ungrounded. The hashing embedder left both returns questions unanswered.
if (!hasBgeSmallModel())
  console.warn('semantic grounding test skipped: bge-small model absent (make install fetches it)')

describe.skipIf(!hasBgeSmallModel())('grounding on the semantic embedder', () => {
  let t: TestApp
  let key: string
  let agent: string
  let docId: string
  const post = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(key), payload })
  const ask = async (text: string) => {
    const c = (await post('/conversations', { agentId: agent, channel: 'api' })).json().id
    const r = await post(`/conversations/${c}/messages`, { text })
    expect(r.statusCode, r.body).toBe(201)
    return r.json<{ grounded: boolean; reply: string; sources: { documentId: string; score: number }[] }>()
  }

  beforeAll(async () => {
    t = await startTestApp()
    expect(t.deps.ai.embedder.id).toMatch(/^bge-small/)
    key = await createKey(t.app, await signup(t.app), ['admin', 'conversations:write'])
    const kb = (await post('/knowledge-bases', { name: 'Policies' })).json().id
    docId = (await post(`/knowledge-bases/${kb}/documents`, RETURNS_DOCUMENT)).json().id
    agent = (await post('/agents', { name: 'Shop bot', knowledgeBaseIds: [kb] })).json().id
  })
  afterAll(async () => t?.close())

  it.each(RETURNS_QUESTIONS)('answers "%s" from the returns document', async (question) => {
    const r = await ask(question)
    expect(r.grounded).toBe(true)
    expect(r.sources[0]?.documentId).toBe(docId)
    expect(r.sources[0]!.score).toBeGreaterThanOrEqual(t.deps.ai.minGroundingScore)
    expect(r.reply).toContain('30 days')
  })

  it('does not ground an unrelated question on it', async () => {
    const r = await ask(UNRELATED_QUESTION)
    expect(r.grounded).toBe(false)
  })
})

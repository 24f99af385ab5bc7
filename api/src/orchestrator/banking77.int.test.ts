import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, createKey, signup, startTestApp, type TestApp } from '../testing/harness.js'
import { faqDocument, hasBanking77, loadBanking77, sample, splitIntents } from '../testing/banking77.js'

// Issue #3's check: a knowledge base built from 60 of the 77 banking77 intents (one short answer
// each); real customer questions from test.csv go through the API. In-knowledge questions should
// come back grounded, and from their own intent's entry. Out-of-knowledge ones are printed, not
// asserted: since the calibrated grounding (ADR 0015) one threshold per embedder is set on val so
// that in-knowledge questions are answered on banking77 and clinc150 alike, and banking77's
// missing intents are close neighbours of known ones — most get an answer from a neighbour's
// entry (val: 0.96), and the flywheel finds them through feedback instead (flywheel.int.test.ts).
if (!hasBanking77) console.warn('banking77 engine test skipped: ../shared/datasets/banking77 is absent')

describe.skipIf(!hasBanking77)('banking77 through the engine', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(async () => t?.close())

  it('answers in-knowledge questions grounded, from their own entry', { timeout: 600_000 }, async () => {
    const data = loadBanking77()
    const { known, missing } = splitIntents(data.intents, 17)
    expect(known).toHaveLength(60)
    const owner = await signup(t.app, 'ecommerce')
    const key = await createKey(t.app, owner, ['admin', 'conversations:write'])
    const post = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(key), payload })
    const kb = (await post('/knowledge-bases', { name: 'Banking FAQ' })).json().id
    for (const intent of known)
      expect(
        (await post(`/knowledge-bases/${kb}/documents`, faqDocument(intent, data.train))).statusCode,
      ).toBe(201)
    const agent = (await post('/agents', { name: 'Bank bot', knowledgeBaseIds: [kb] })).json().id

    const ask = async (text: string) => {
      const c = (await post('/conversations', { agentId: agent, channel: 'api' })).json().id
      const r = await post(`/conversations/${c}/messages`, { text })
      expect(r.statusCode, r.body).toBe(201)
      return r.json<{ grounded: boolean; sources: { title: string }[] }>()
    }
    const inKb = sample(data.test, known, 4)
    const outKb = sample(data.test, missing, 8)
    let groundedIn = 0
    let ownEntry = 0
    for (const q of inKb) {
      const reply = await ask(q.text)
      if (reply.grounded) groundedIn += 1
      if (reply.grounded && reply.sources[0]?.title === faqDocument(q.intent, []).title) ownEntry += 1
    }
    let unansweredOut = 0
    for (const q of outKb) if (!(await ask(q.text)).grounded) unansweredOut += 1
    const groundedRate = groundedIn / inKb.length
    const ownRate = ownEntry / inKb.length
    const unansweredRate = unansweredOut / outKb.length
    console.log(
      `BANKING77_ENGINE in_kb_grounded=${groundedRate.toFixed(3)} (${groundedIn}/${inKb.length}) in_kb_own_entry=${ownRate.toFixed(3)} (${ownEntry}/${inKb.length}) out_of_kb_unanswered=${unansweredRate.toFixed(3)} (${unansweredOut}/${outKb.length})`,
    )
    // A blind engine answers nothing (0 grounded) or answers from any entry (own entry ~1/60).
    // The floors: the calibration's val figures (answered 1.00, own entry 0.82 on banking77 with
    // six phrasings per entry) less a margin for this test's leaner entries and its n of 240.
    expect(groundedRate).toBeGreaterThanOrEqual(0.9)
    expect(ownRate).toBeGreaterThan(0.6)
  })
})

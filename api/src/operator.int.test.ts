import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signup, startTestApp, type TestApp } from './testing/harness.js'

const run = promisify(execFile)
const TOKEN = 'operator-token-0123456789abcdef'
const root = join(import.meta.dirname, '..', '..')
let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ operatorToken: TOKEN })
  await signup(t.app)
})
afterAll(async () => t?.close())

describe('operator route and `luneo pipelines run`', () => {
  it('needs the operator token', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/internal/pipelines/run', payload: {} })
    expect(none.statusCode).toBe(401)
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/internal/pipelines/run',
      payload: {},
      headers: { authorization: 'Bearer nope' },
    })
    expect(wrong.statusCode).toBe(401)
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/internal/pipelines/run',
      payload: { job: 'nope' },
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    expect(unknown.statusCode).toBe(400)
  })

  it('is off without a configured token', async () => {
    // One chDB per process: the same app, with its token unset (config is read per request).
    t.deps.config.operatorToken = undefined
    try {
      const r = await t.app.inject({
        method: 'POST',
        url: '/internal/pipelines/run',
        payload: {},
        headers: { authorization: `Bearer ${TOKEN}` },
      })
      expect(r.statusCode).toBe(404)
    } finally {
      t.deps.config.operatorToken = TOKEN
    }
  })

  it('the CLI asks the running server and prints each job run', { timeout: 60_000 }, async () => {
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 })
    const env = { ...process.env, LUNEO_API_URL: address, LUNEO_OPERATOR_TOKEN: TOKEN, CLICKHOUSE_URL: '' }
    const { stdout } = await run(
      join(root, 'bin', 'luneo'),
      ['pipelines', 'run', 'learning_signals', '--full'],
      { env, cwd: root },
    )
    expect(stdout).toMatch(/learning_signals_v1\s+org=\w{8} in=\d+ out=\d+/)
    expect(stdout).toMatch(/job runs in \d+ ms/)
    const bad = await run(join(root, 'bin', 'luneo'), ['pipelines', 'run', '--since', 'yesterday'], {
      env,
      cwd: root,
    }).catch((e: { code: number }) => e)
    expect((bad as { code: number }).code).toBe(2)
  })
})

import { RefreshBusyError, type PipelineRunner } from '@luneo/pipelines'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, signup, startTestApp, type TestApp } from '../testing/harness.js'

// POST /analytics/refresh when the pipelines refuse (too many organizations' refreshes waiting:
// pipelines/src/runner/pipeline-runner.int.test.ts proves when): a 429 problem with Retry-After.
// The runner here is the pipelines' own error from a runner that is always full.

const full: PipelineRunner = {
  refresh: async () => {
    throw new RefreshBusyError(16)
  },
  runAll: async () => [],
  runMaintenance: async () => [],
}
let t: TestApp
beforeAll(async () => {
  t = await startTestApp({}, { pipelines: full })
})
afterAll(async () => t?.close())

describe('POST /analytics/refresh', () => {
  it('answers 429 rate_limited with Retry-After when the refresh queue is full', async () => {
    const owner = await signup(t.app, 'ecommerce')
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/analytics/refresh', headers: as(owner) })
    expect(r.statusCode, r.body).toBe(429)
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(r.headers['retry-after']).toBe('10')
    expect(r.json()).toMatchObject({
      code: 'rate_limited',
      detail: expect.stringMatching(/16 organizations/),
    })
  })
})

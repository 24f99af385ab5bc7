import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, as, signup, startTestApp, type Session, type TestApp } from '../testing/harness.js'

// The retention policy through the API: documented defaults, bounds refused as problem+json with
// nothing written, a change audited with before and after, admins only.

let t: TestApp
let owner: Session
beforeAll(async () => {
  t = await startTestApp()
  owner = await signup(t.app, 'ecommerce')
})
afterAll(async () => t?.close())

const get = (who: Session) =>
  t.app.inject({ method: 'GET', url: '/api/v1/organization/retention', headers: as(who) })
const put = (who: Session, payload: object) =>
  t.app.inject({ method: 'PUT', url: '/api/v1/organization/retention', headers: as(who), payload })

describe('the retention policy', () => {
  it('starts at the documented defaults, with the limits and the platform’s fixed periods', async () => {
    const r = await get(owner)
    expect(r.statusCode).toBe(200)
    expect(r.json()).toEqual({
      conversationDays: 365,
      analyticsDays: 730,
      limits: {
        conversationDays: { min: 1, max: 1095, default: 365 },
        analyticsDays: { min: 30, max: 1825, default: 730 },
      },
      platform: { outboxKeepHours: 168, eventStreamDays: 7, deadLetterDays: 30 },
    })
  })

  it('refuses values out of bounds with problem+json and writes nothing', async () => {
    for (const body of [
      { conversationDays: 0, analyticsDays: 730 },
      { conversationDays: 1096, analyticsDays: 730 },
      { conversationDays: 30, analyticsDays: 29 },
      { conversationDays: 30.5, analyticsDays: 730 },
      { conversationDays: 30 },
      { conversationDays: 30, analyticsDays: 730, extra: true },
    ]) {
      const r = await put(owner, body)
      expect(r.statusCode, JSON.stringify(body)).toBe(400)
      expect(r.headers['content-type']).toContain('application/problem+json')
      expect(r.json().code).toBe('validation_failed')
    }
    expect((await get(owner)).json()).toMatchObject({ conversationDays: 365, analyticsDays: 730 })
  })

  it('is set by an admin, audited with before and after; an analyst may read, not write', async () => {
    const admin = await addMember(t.app, owner, 'admin')
    const r = await put(admin, { conversationDays: 30, analyticsDays: 90 })
    expect(r.statusCode).toBe(200)
    expect(r.json()).toMatchObject({ conversationDays: 30, analyticsDays: 90 })
    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit-log', headers: as(owner) })
    const entry = audit
      .json()
      .items.find((a: { action: string }) => a.action === 'organization.retention_updated')
    expect(entry.details).toEqual({
      before: { conversationDays: 365, analyticsDays: 730 },
      after: { conversationDays: 30, analyticsDays: 90 },
    })
    const analyst = await addMember(t.app, owner, 'analyst')
    expect((await get(analyst)).json()).toMatchObject({ conversationDays: 30 })
    const refused = await put(analyst, { conversationDays: 5, analyticsDays: 90 })
    expect(refused.statusCode).toBe(403)
    expect((await get(owner)).json()).toMatchObject({ conversationDays: 30, analyticsDays: 90 })
  })
})

import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhookSignature } from './signature.js'

const secret = 'whsec_test'
const body = '{"type":"conversation.escalated","conversationId":"c1"}'
const ts = '1700000000'
const now = 1_700_000_000_000

describe('webhook signatures', () => {
  it('is sha256=<hex HMAC of "<timestamp>.<body>">, computable by any HMAC library', () => {
    const hex = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')
    expect(signWebhook(secret, ts, body)).toBe(`sha256=${hex}`)
  })

  it('verifies its own signature within the replay window', () => {
    const header = signWebhook(secret, ts, body)
    expect(verifyWebhookSignature(secret, ts, body, header, { now })).toBe(true)
    expect(verifyWebhookSignature(secret, ts, body, header, { now: now + 299_000 })).toBe(true)
  })

  it('refuses a wrong secret, a changed body or timestamp, a stale delivery and junk', () => {
    const header = signWebhook(secret, ts, body)
    expect(verifyWebhookSignature('whsec_other', ts, body, header, { now })).toBe(false)
    expect(verifyWebhookSignature(secret, ts, body.replace('c1', 'c2'), header, { now })).toBe(false)
    expect(verifyWebhookSignature(secret, '1700000001', body, header, { now })).toBe(false)
    expect(verifyWebhookSignature(secret, ts, body, header, { now: now + 301_000 })).toBe(false)
    expect(verifyWebhookSignature(secret, ts, body, header.slice(0, -1), { now })).toBe(false)
    expect(verifyWebhookSignature(secret, 'soon', body, header, { now })).toBe(false)
    expect(verifyWebhookSignature(secret, ts, body, '', { now })).toBe(false)
  })
})

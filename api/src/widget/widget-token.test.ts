import { describe, expect, it } from 'vitest'
import { WIDGET_TOKEN_TTL_MS, signWidgetToken, verifyWidgetToken } from './widget-token.js'

const secret = 'test-secret-test-secret-test'
const key = '0198a0c0-0000-7000-8000-000000000001'
const conv = '0198a0c0-0000-7000-8000-0000000000aa'
const now = 1_750_000_000_000

describe('widget tokens', () => {
  it('verify for the conversation and key they were issued for', () => {
    const token = signWidgetToken(secret, key, conv, now)
    expect(verifyWidgetToken(secret, key, conv, token, now + 1000)).toBe(true)
  })

  it('do not open another conversation, another key’s conversation, or anything after a day', () => {
    const token = signWidgetToken(secret, key, conv, now)
    expect(verifyWidgetToken(secret, key, conv.replace('aa', 'ab'), token, now)).toBe(false)
    expect(verifyWidgetToken(secret, key.replace('01', '02'), conv, token, now)).toBe(false)
    expect(verifyWidgetToken('another-secret-another-secret', key, conv, token, now)).toBe(false)
    expect(verifyWidgetToken(secret, key, conv, token, now + WIDGET_TOKEN_TTL_MS + 1)).toBe(false)
  })

  it('refuse a forged expiry and junk', () => {
    const [exp, sig] = signWidgetToken(secret, key, conv, now).split('.') as [string, string]
    expect(verifyWidgetToken(secret, key, conv, `${Number(exp) + 1e9}.${sig}`, now)).toBe(false)
    for (const junk of ['', '.', 'abc', `${exp}.`, `${exp}.${sig}x`])
      expect(verifyWidgetToken(secret, key, conv, junk, now)).toBe(false)
  })
})

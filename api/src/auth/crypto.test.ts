import { describe, expect, it } from 'vitest'
import { hashPassword, signAccessToken, verifyAccessToken, verifyPassword } from './crypto.js'

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('correct horse battery')
    expect(h.startsWith('scrypt$32768$8$1$')).toBe(true)
    expect(await verifyPassword('correct horse battery', h)).toBe(true)
    expect(await verifyPassword('correct horse batterY', h)).toBe(false)
    expect(await verifyPassword('x', 'garbage')).toBe(false)
  })
  it('salts: the same password hashes differently', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'))
  })
})

describe('access tokens', () => {
  it('accepts its own signature before expiry only', () => {
    const t = signAccessToken('k'.repeat(32), 'sid', 2_000)
    expect(verifyAccessToken('k'.repeat(32), t, 1_000)).toBe('sid')
    expect(verifyAccessToken('k'.repeat(32), t, 2_001)).toBeNull()
    expect(verifyAccessToken('j'.repeat(32), t, 1_000)).toBeNull()
    expect(verifyAccessToken('k'.repeat(32), t.replace('sid', 'sie'), 1_000)).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { KeyCache } from './key-cache.js'

const p = {
  key_id: 'k1',
  organization_id: 'o',
  vertical: 'ecommerce',
  scopes: ['admin' as const],
  ends_at: null,
}

describe('KeyCache', () => {
  it('keeps a principal for its ttl, then forgets it', () => {
    const c = new KeyCache(1000)
    c.set('h', p, 0)
    expect(c.get('h', 999)).toEqual(p)
    expect(c.get('h', 1000)).toBeUndefined()
  })
  it('never keeps a key past its end (expiry, or a rotation’s grace)', () => {
    const c = new KeyCache(1000)
    c.set('h', { ...p, ends_at: new Date(500) }, 0)
    expect(c.get('h', 499)).toBeDefined()
    expect(c.get('h', 500)).toBeUndefined()
  })
  it('evicts a revoked key by id', () => {
    const c = new KeyCache(1000)
    c.set('h', p, 0)
    c.evictKey('k1')
    expect(c.get('h', 1)).toBeUndefined()
  })
})

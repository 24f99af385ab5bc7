import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderClientTypes, TYPES } from '../../scripts/client-types.js'

// The dashboard's client must speak the contract the API commits: a stale copy fails here.
describe('dashboard API types', () => {
  it('match api/openapi.json (run `npm run openapi` when this fails)', async () => {
    expect(readFileSync(TYPES, 'utf8')).toBe(await renderClientTypes())
  })
})

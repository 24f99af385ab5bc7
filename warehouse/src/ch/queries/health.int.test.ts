import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestClickHouse } from '../../testing.js'
import type { ClickHouseHandle } from '../client.js'
import { pingClickHouse } from './health.js'

let h: ClickHouseHandle | undefined
beforeAll(async () => {
  h = await openTestClickHouse()
})
afterAll(async () => h?.close())

describe('pingClickHouse', () => {
  it('resolves while ClickHouse answers, rejects once it is closed', async () => {
    const open = h!
    await expect(pingClickHouse(open.ch)).resolves.toBeUndefined()
    h = undefined
    await open.close()
    await expect(pingClickHouse(open.ch)).rejects.toThrow()
  })
})

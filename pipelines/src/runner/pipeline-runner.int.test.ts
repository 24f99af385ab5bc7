import { createLocalEmbedder, createLocalProvider } from '@luneo/models'
import { insertOrganization, martMigrations, migrateClickHouse, newId } from '@luneo/warehouse'
import { openTestClickHouse, openTestPostgres } from '@luneo/warehouse/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PipelineDeps } from './job.js'
import { RefreshBusyError, createPipelineRunner } from './pipeline-runner.js'

// Refreshes on real stores: coalesced per organization while waiting their turn, refused past the
// queue's bound instead of chaining every caller behind minutes of others' work.

let deps: PipelineDeps
let close: () => Promise<void>
const orgs = [newId(), newId(), newId()]

beforeAll(async () => {
  const pg = await openTestPostgres()
  const ch = await openTestClickHouse()
  await migrateClickHouse(ch.ch, martMigrations)
  for (const id of orgs) await insertOrganization(pg.db, { id, name: 'Shop', vertical: 'ecommerce' })
  deps = { db: pg.db, ch: ch.ch, embedder: createLocalEmbedder(), provider: createLocalProvider() }
  close = async () => {
    await ch.close()
    await pg.close()
  }
})
afterAll(async () => close?.())

describe('refreshes', () => {
  it('calls while an organization’s refresh waits join it; a new one after it started runs again', async () => {
    const runner = createPipelineRunner(deps)
    const busy = runner.runAll({ only: 'learning_signals' }) // holds the queue
    const [a, b, c] = [runner.refresh(orgs[0]!), runner.refresh(orgs[0]!), runner.refresh(orgs[0]!)]
    expect(b).toBe(a)
    expect(c).toBe(a)
    const other = runner.refresh(orgs[1]!)
    expect(other).not.toBe(a)
    await busy
    const reports = await a
    expect(new Set(reports.map((r) => r.organizationId))).toEqual(new Set([orgs[0]]))
    // a's run has started (and finished): the next call gets a run of its own
    const again = runner.refresh(orgs[0]!)
    expect(again).not.toBe(a)
    await Promise.all([other, again])
  })

  it('refuses a refresh past the bound of organizations waiting, and takes it once they ran', async () => {
    const runner = createPipelineRunner(deps, { maxQueuedRefreshes: 2 })
    const busy = runner.runAll({ only: 'learning_signals' })
    const waiting = [runner.refresh(orgs[0]!), runner.refresh(orgs[1]!)]
    await expect(runner.refresh(orgs[2]!)).rejects.toBeInstanceOf(RefreshBusyError)
    expect(runner.refresh(orgs[0]!)).toBe(waiting[0]) // joining one that waits is never refused
    await Promise.all([busy, ...waiting])
    expect((await runner.refresh(orgs[2]!)).length).toBeGreaterThan(0)
  })

  it('counts a refresh still in its `before` wait, so a full queue refuses the next caller at once', async () => {
    const runner = createPipelineRunner(deps, { maxQueuedRefreshes: 2 })
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    const first = runner.refresh(orgs[0]!, { before: () => held })
    const second = runner.refresh(orgs[1]!, { before: () => held })
    let asked = false
    await expect(
      runner.refresh(orgs[2]!, { before: async () => void (asked = true) }),
    ).rejects.toBeInstanceOf(RefreshBusyError)
    expect(asked).toBe(false) // refused before its own wait began
    release()
    const reports = await Promise.all([first, second])
    expect(reports.map((r) => new Set(r.map((x) => x.organizationId)))).toEqual([
      new Set([orgs[0]]),
      new Set([orgs[1]]),
    ])
  })
})

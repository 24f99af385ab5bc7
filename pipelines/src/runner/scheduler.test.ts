import { describe, expect, it } from 'vitest'
import type { PipelineRunner } from './pipeline-runner.js'
import { PipelineScheduler } from './scheduler.js'

/** Resolves once `n` more ticks have happened (counted by the scheduler's onTick). */
function tickCounter() {
  const ticks: boolean[] = []
  let waiters: { n: number; resolve: () => void }[] = []
  return {
    ticks,
    onTick: (ran: boolean) => {
      ticks.push(ran)
      waiters = waiters.filter((w) => (ticks.length >= w.n ? (w.resolve(), false) : true))
    },
    after(more: number): Promise<void> {
      const n = ticks.length + more
      return new Promise((resolve) => waiters.push({ n, resolve }))
    },
  }
}

describe('the in-process pipeline scheduler', () => {
  it('runs when the newest-event mark changes, and skips ticks when nothing is new', async () => {
    let runs = 0
    const runner: PipelineRunner = {
      runAll: async () => (runs++, []),
      refresh: async () => [],
      runMaintenance: async () => [],
    }
    let mark = 'part-1'
    const counter = tickCounter()
    const s = new PipelineScheduler(runner, {
      intervalMs: 5,
      newestEventMark: async () => mark,
      onError: (e) => console.error(e),
      idleRecomputeMs: 60_000,
      onTick: counter.onTick,
    })
    s.start()
    await counter.after(1)
    expect(counter.ticks).toEqual([true]) // first tick: never ran before
    await counter.after(10)
    expect(runs).toBe(1) // ten ticks with nothing new: no run
    expect(counter.ticks.slice(1).every((ran) => !ran)).toBe(true)
    mark = 'part-2' // new events reached ClickHouse
    await counter.after(1)
    expect(runs).toBe(2)
    await s.stop()
  })

  it('recomputes after idleRecomputeMs even with nothing new (windows close with time)', async () => {
    let runs = 0
    const runner: PipelineRunner = {
      runAll: async () => (runs++, []),
      refresh: async () => [],
      runMaintenance: async () => [],
    }
    const counter = tickCounter()
    const s = new PipelineScheduler(runner, {
      intervalMs: 5,
      newestEventMark: async () => 'same',
      onError: (e) => console.error(e),
      idleRecomputeMs: 0,
      onTick: counter.onTick,
    })
    s.start()
    await counter.after(3)
    expect(runs).toBe(3)
    await s.stop()
  })

  it('runs the maintenance jobs (retention) on the first tick, then once per maintenanceEveryMs', async () => {
    let maintenance = 0
    const runner: PipelineRunner = {
      runAll: async () => [],
      refresh: async () => [],
      runMaintenance: async () => (maintenance++, []),
    }
    const counter = tickCounter()
    const s = new PipelineScheduler(runner, {
      intervalMs: 5,
      newestEventMark: async () => 'same',
      onError: (e) => console.error(e),
      maintenanceEveryMs: 3_600_000,
      onTick: counter.onTick,
    })
    s.start()
    await counter.after(5)
    expect(maintenance).toBe(1)
    await s.stop()
    const never = new PipelineScheduler(runner, {
      intervalMs: 5,
      newestEventMark: async () => 'same',
      onError: (e) => console.error(e),
      maintenanceEveryMs: 0,
      onTick: counter.onTick,
    })
    never.start()
    await counter.after(3)
    expect(maintenance).toBe(1) // 0 = never
    await never.stop()
  })
})

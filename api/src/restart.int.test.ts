import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ChildProcess } from 'node:child_process'
import { openClickHouse, openPostgres } from '@luneo/warehouse'
import { tempDir } from '@luneo/warehouse/testing'
import { api, exited, freePort, signupWithKey, startServer as start } from './testing/server-process.js'

// The real process, killed with SIGKILL while it drains the outbox, then restarted: every event
// must reach ClickHouse exactly once. Embedded stores only (a server DATABASE_URL is not used here).

const dir = tempDir('luneo-restart-')
let child: ChildProcess | null = null
afterAll(() => {
  child?.kill('SIGKILL')
  dir.remove()
})

const startServer = (port: number, env: Record<string, string>) => start(port, dir.path, env)

async function backlog(port: number): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text())
  return Number(/^luneo_outbox_backlog (\d+)/m.exec(text)?.[1] ?? NaN)
}

describe('kill -9 in the middle of draining', () => {
  it('loses nothing and doubles nothing', { timeout: 180_000 }, async () => {
    const port = await freePort()
    child = await startServer(port, { LUNEO_DRAINER: 'false' })
    const auth = await signupWithKey(port, 'k@example.com', ['admin'])
    const agent = (await api(port, '/agents', { name: 'bot' }, auth)).json.id
    for (let i = 0; i < 600; i++) {
      const c = (await api(port, '/conversations', { agentId: agent, channel: 'api' }, auth)).json.id
      if (i % 10 === 0) await api(port, `/conversations/${c}/feedback`, { rating: 'positive', csat: 4 }, auth)
      if (i % 15 === 0) await api(port, `/conversations/${c}/outcome`, { type: 'purchase', amount: 10 }, auth)
    }
    const total = await backlog(port)
    expect(total).toBeGreaterThan(600)
    child.kill('SIGTERM')
    await exited(child)

    // Drain in small batches and kill the process once it is part-way through.
    child = await startServer(port, { LUNEO_DRAIN_BATCH_SIZE: '7' })
    let seen = total
    for (const until = Date.now() + 60_000; seen === total && Date.now() < until;) seen = await backlog(port)
    child.kill('SIGKILL')
    await exited(child)
    expect(seen).toBeGreaterThan(0)
    expect(seen).toBeLessThan(total)

    child = await startServer(port, {})
    for (const until = Date.now() + 120_000; (await backlog(port)) > 0 && Date.now() < until;)
      await new Promise((r) => setTimeout(r, 100))
    child.kill('SIGTERM')
    await exited(child)
    child = null

    const pg = await openPostgres({ dataDir: join(dir.path, 'postgres') })
    const outbox = await pg.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const unpublished = await pg.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('published_at', 'is', null)
      .executeTakeFirstOrThrow()
    await pg.close()
    const ch = await openClickHouse({ dataDir: join(dir.path, 'clickhouse') })
    const rs = await ch.ch.query({
      query: 'SELECT count() AS n, uniqExact(id) AS u FROM events',
      format: 'JSONEachRow',
    })
    const [row] = await rs.json<{ n: number; u: number }>()
    await ch.close()
    expect(Number(unpublished.n)).toBe(0)
    expect(row).toEqual({ n: Number(outbox.n), u: Number(outbox.n) })
  })
})

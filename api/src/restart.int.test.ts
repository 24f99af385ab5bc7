import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openClickHouse, openPostgres } from '@luneo/warehouse'
import { tempDir } from '@luneo/warehouse/testing'

// The real process, killed with SIGKILL while it drains the outbox, then restarted: every event
// must reach ClickHouse exactly once. Embedded stores only (a server DATABASE_URL is not used here).

const root = join(import.meta.dirname, '..', '..')
const dir = tempDir('luneo-restart-')
let child: ChildProcess | null = null
afterAll(() => {
  child?.kill('SIGKILL')
  dir.remove()
})

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

async function startServer(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const p = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      LUNEO_DATA_DIR: dir.path,
      LUNEO_LOG_LEVEL: 'warn',
      LUNEO_SECRET: 'restart-test-secret-0123456789',
      DATABASE_URL: '',
      CLICKHOUSE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  for (let i = 0; i < 300 && p.exitCode === null; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return p
    await new Promise((r) => setTimeout(r, 100))
  }
  p.kill('SIGKILL')
  throw new Error('server did not become ready')
}

function exited(p: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve()),
  )
}

async function backlog(port: number): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text())
  return Number(/^luneo_outbox_backlog (\d+)/m.exec(text)?.[1] ?? NaN)
}

async function api(port: number, path: string, body: unknown, headers: Record<string, string>) {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`)
  return { json: (await r.json()) as any, cookies: r.headers.getSetCookie() }
}

describe('kill -9 in the middle of draining', () => {
  it('loses nothing and doubles nothing', { timeout: 180_000 }, async () => {
    const port = await freePort()
    child = await startServer(port, { LUNEO_DRAINER: 'false' })
    const signup = await api(
      port,
      '/auth/signup',
      {
        email: 'k@example.com',
        password: 'correct horse battery',
        organizationName: 'K',
        vertical: 'ecommerce',
      },
      {},
    )
    const jar = Object.fromEntries(signup.cookies.map((c) => c.split(';')[0]!.split('=') as [string, string]))
    const cookieHeaders = {
      cookie: Object.entries(jar)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
      'x-csrf-token': jar.luneo_csrf!,
    }
    const key = (await api(port, '/api-keys', { name: 'k', scopes: ['admin'] }, cookieHeaders)).json
      .secret as string
    const auth = { authorization: `Bearer ${key}` }
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
    for (let i = 0; i < 2000 && seen === total; i++) seen = await backlog(port)
    child.kill('SIGKILL')
    await exited(child)
    expect(seen).toBeGreaterThan(0)
    expect(seen).toBeLessThan(total)

    child = await startServer(port, {})
    for (let i = 0; i < 600 && (await backlog(port)) > 0; i++) await new Promise((r) => setTimeout(r, 100))
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

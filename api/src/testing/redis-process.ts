import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'

/** Whether Debian's redis-server is installed (make test installs it; tests skip without it). */
export const hasRedisServer = () => spawnSync('redis-server', ['--version']).status === 0

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

/**
 * The suite's Redis (LUNEO_TEST_REDIS_URL, make test) or a redis-server child for this file,
 * ready when it answers PING — or when it exits, which fails the start with its output.
 */
export async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = process.env.LUNEO_TEST_REDIS_URL
  if (given) return { url: given, stop: async () => undefined }
  const dir = mkdtempSync(join(tmpdir(), 'luneo-redis-'))
  const port = await freePort()
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const url = `redis://127.0.0.1:${port}`
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  probe.on('error', () => undefined) // refused until it listens: that is what the loop waits out
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited ${child.exitCode}: ${output}`)
    const ok = await probe
      .connect()
      .then(() => probe.ping())
      .catch(() => null)
    if (ok === 'PONG') break
    probe.disconnect()
    if (Date.now() > deadline) throw new Error(`redis-server not ready: ${output}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  probe.disconnect()
  return {
    url,
    async stop() {
      const gone = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await gone
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

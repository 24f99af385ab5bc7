// The two real processes the browser test drives: the API on embedded stores (PGlite + chDB, a
// fresh data dir) and the built Next server (`next start`) proxying /api to it. Ports are asked
// from the kernel; readiness is an HTTP answer, never a sleep.
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const dashboardDir = join(repoRoot, 'dashboard')

export interface Proc {
  url: string
  stop(): Promise<void>
}

/** A free loopback port (bind 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** Polls `ready` every 100 ms until it holds, the process exits, or `ms` pass. */
async function until(p: ChildProcess, what: string, ready: () => Promise<boolean>, ms: number, log: string) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (p.exitCode !== null || p.signalCode !== null) break
    if (await ready().catch(() => false)) return
    await new Promise((r) => setTimeout(r, 100))
  }
  const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n') : ''
  throw new Error(
    `${what} was not ready (${p.exitCode === null ? 'timed out' : `exit ${p.exitCode}`}); ${log}:\n${tail}`,
  )
}

function start(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  log: string,
): ChildProcess {
  const p = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const out = createWriteStream(log)
  p.stdout?.pipe(out)
  p.stderr?.pipe(out)
  return p
}

function stopper(p: ChildProcess) {
  return async () => {
    if (p.exitCode !== null || p.signalCode !== null) return
    const gone = new Promise<void>((r) => p.once('exit', () => r()))
    p.kill('SIGTERM')
    const t = setTimeout(() => p.kill('SIGKILL'), 10_000)
    await gone
    clearTimeout(t)
  }
}

/** The API on a fresh data dir; resolves when /readyz answers. `extra`: more of its environment. */
export async function startApi(
  dashboardOrigin: string,
  logDir: string,
  extra: Record<string, string> = {},
): Promise<Proc> {
  const port = await freePort()
  const log = join(logDir, 'api.log')
  const dataDir = mkdtempSync(join(tmpdir(), 'luneo-dashboard-e2e-'))
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    LUNEO_DATA_DIR: dataDir,
    // The demo seeder is not used here: it takes minutes on 2 cores; the test sends its own traffic.
    LUNEO_DEMO: 'false',
    // The tests run the pipelines themselves (POST /analytics/refresh) once the outbox is empty: a
    // scheduled run in between would advance the watermarks past events still in the outbox.
    LUNEO_PIPELINES_INTERVAL_MS: '0',
    LUNEO_LOG_LEVEL: 'warn',
    LUNEO_SECRET: 'dashboard-e2e-secret-0123456789',
    // The browser's writes carry the dashboard's Origin, which the API must allow (ADR 0004).
    LUNEO_CORS_ORIGINS: dashboardOrigin,
    DATABASE_URL: '',
    CLICKHOUSE_URL: '',
    KAFKA_BROKERS: '',
    CHROMA_URL: '',
    // Links in emails point at this dashboard; without SMTP_URL (in `extra`) emails go to the log.
    LUNEO_DASHBOARD_URL: dashboardOrigin,
    SMTP_URL: '',
    ...extra,
  }
  const p = start(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], repoRoot, env, log)
  const url = `http://127.0.0.1:${port}`
  await until(p, 'the API', async () => (await fetch(`${url}/readyz`)).ok, 120_000, log)
  const stop = stopper(p)
  return {
    url,
    stop: async () => {
      await stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** The test OpenID provider: `url` is its issuer; the client the API is to be set up with. */
export interface Idp extends Proc {
  clientId: string
  clientSecret: string
}

/**
 * The test OpenID provider (api/src/testing/oidc-provider-server.ts) with these accounts, sending
 * back only to `redirectUri`; resolves with what it prints once it listens.
 */
export async function startIdp(redirectUri: string, accounts: object, logDir: string): Promise<Idp> {
  const log = join(logDir, 'idp.log')
  const p = start(
    process.execPath,
    ['--import', 'tsx', 'api/src/testing/oidc-provider-server.ts'],
    repoRoot,
    { OIDC_REDIRECT_URIS: redirectUri, OIDC_ACCOUNTS: JSON.stringify(accounts) },
    log,
  )
  const line = await new Promise<string>((resolve, reject) => {
    p.once('exit', (code) => reject(new Error(`the provider exited (${code}) before listening; see ${log}`)))
    createInterface({ input: p.stdout! }).once('line', resolve)
  })
  const { issuer, clientId, clientSecret } = JSON.parse(line) as {
    issuer: string
    clientId: string
    clientSecret: string
  }
  return { url: issuer, clientId, clientSecret, stop: stopper(p) }
}

/** Resolves when the API's outbox is empty (its /metrics gauge), i.e. every event reached the analytics. */
export async function outboxDrained(apiUrl: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    const text = await (await fetch(`${apiUrl}/metrics`)).text()
    if (/^luneo_outbox_backlog 0$/m.test(text)) return
    if (Date.now() > deadline) throw new Error(`the outbox did not drain within ${ms / 1000} s`)
    await new Promise((r) => setTimeout(r, 100)) // poll interval of a condition wait
  }
}

/** `next build` of the dashboard (the production bundle the test and `make test` check). */
export function buildDashboard(logDir: string): Promise<number> {
  const t0 = Date.now()
  const log = join(logDir, 'next-build.log')
  const p = start(process.execPath, [nextBin(), 'build'], dashboardDir, { NEXT_TELEMETRY_DISABLED: '1' }, log)
  return new Promise((resolve, reject) =>
    p.once('exit', (code) =>
      code === 0 ? resolve(Date.now() - t0) : reject(new Error(`next build failed; see ${log}`)),
    ),
  )
}

const nextBin = () => join(repoRoot, 'node_modules/next/dist/bin/next')

/** `next start` on `port`, proxying /api to `apiUrl`; resolves when the sign-in page answers. */
export async function startDashboard(port: number, apiUrl: string, logDir: string): Promise<Proc> {
  const log = join(logDir, 'next.log')
  const p = start(
    process.execPath,
    [nextBin(), 'start', '--hostname', '127.0.0.1', '--port', String(port)],
    dashboardDir,
    {
      LUNEO_API_URL: apiUrl,
      NEXT_TELEMETRY_DISABLED: '1',
    },
    log,
  )
  const url = `http://127.0.0.1:${port}`
  await until(p, 'the dashboard', async () => (await fetch(`${url}/sign-in`)).ok, 60_000, log)
  return { url, stop: stopper(p) }
}

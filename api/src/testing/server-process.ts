// The real API process for tests that stop and restart it on one data dir (restart, upgrade).
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..', '..')

/** A free loopback port (bind 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** `api/src/server.ts` on embedded stores in `dataDir`; resolves once /readyz answers. */
export async function startServer(
  port: number,
  dataDir: string,
  env: Record<string, string>,
): Promise<ChildProcess> {
  const p = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      LUNEO_DATA_DIR: dataDir,
      LUNEO_LOG_LEVEL: 'warn',
      LUNEO_SECRET: 'restart-test-secret-0123456789',
      DATABASE_URL: '',
      CLICKHOUSE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  // Wait on the condition (ready, or the process gone), polling; the deadline is only a ceiling
  // for a server that hangs: a re-index on a loaded 2-core machine can take a minute.
  const deadline = Date.now() + 180_000
  while (p.exitCode === null && p.signalCode === null && Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return p
    await new Promise((r) => setTimeout(r, 100))
  }
  const why = p.exitCode !== null || p.signalCode !== null ? `exited (${p.exitCode ?? p.signalCode})` : 'hung'
  p.kill('SIGKILL')
  throw new Error(`server on port ${port} did not become ready: it ${why}`)
}

/** Resolves when the process has exited (at once if it already has). */
export function exited(p: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve()),
  )
}

/** POST a JSON body to /api/v1 and fail on a non-2xx answer. */
export async function api(port: number, path: string, body: unknown, headers: Record<string, string>) {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`)
  return { json: (await r.json()) as any, cookies: r.headers.getSetCookie() }
}

/** Signs up an organization and returns Bearer headers for an admin key of it. */
export async function signupWithKey(port: number, email: string, scopes: string[]) {
  const signup = await api(
    port,
    '/auth/signup',
    { email, password: 'correct horse battery', organizationName: 'K', vertical: 'ecommerce' },
    {},
  )
  const jar = Object.fromEntries(signup.cookies.map((c) => c.split(';')[0]!.split('=') as [string, string]))
  const cookieHeaders = {
    cookie: Object.entries(jar)
      .map(([k, v]) => `${k}=${v}`)
      .join('; '),
    'x-csrf-token': jar.luneo_csrf!,
  }
  const key = (await api(port, '/api-keys', { name: 'k', scopes }, cookieHeaders)).json.secret as string
  return { authorization: `Bearer ${key}` }
}

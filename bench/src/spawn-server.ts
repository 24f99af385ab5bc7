import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'

/** A server under test, running in its own process so the load generator never shares its event loop. */
export interface ServerProcess {
  name: string
  url: string
  pid: number
  stop(): Promise<void>
}

export const repoRoot = join(import.meta.dirname, '..', '..')

// Every child we start, so an error or a signal in the driver never leaves one running.
const children = new Set<ChildProcess>()

/** Kills every child still alive (SIGKILL); safe to call from a synchronous 'exit' handler. */
export function killAllChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  children.clear()
}

/**
 * Runs a bench driver (or a scenario run on its own): no child outlives it, whether it ends, fails
 * or gets SIGINT/SIGTERM (exit 130/143); it exits 0 once `main` resolves, 1 after printing the
 * error as `<label> failed:`.
 */
export function runDriver(label: string, main: () => Promise<void>): void {
  process.on('exit', killAllChildren)
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      killAllChildren()
      process.exit(128 + (sig === 'SIGINT' ? 2 : 15))
    })
  }
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`${label} failed:`, err)
      process.exit(1)
    },
  )
}

/** CPU time (user + system) a live process has used, in seconds, from /proc (Linux; clock ticks of 10 ms). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** Asks the kernel for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

function exited(p: ChildProcess, ms: number): Promise<boolean> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(true)
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms)
    p.once('exit', () => {
      clearTimeout(t)
      resolve(true)
    })
  })
}

export interface SpawnOptions {
  name: string
  /** A TypeScript entry, relative to the repo root, run with `node --import tsx`. */
  entry: string
  env: Record<string, string>
  /** Path polled until it answers 2xx. */
  readyPath: string
  /** Where the child's stdout/stderr go (its tail is printed when it fails to start). */
  logFile: string
  readyTimeoutMs?: number
  /** Extra node flags, e.g. `--cpu-prof` (which NODE_OPTIONS refuses) to profile a run. */
  nodeArgs?: string[]
  /** A JavaScript program and its arguments instead of `entry` under tsx (`next start`); PORT names the port. */
  argv?: string[]
  /** Working directory (default: the repo root). */
  cwd?: string
}

/** Spawns a server on a free port and waits until `readyPath` answers. */
export async function spawnServer(o: SpawnOptions): Promise<ServerProcess> {
  const port = await freePort()
  const log = createWriteStream(o.logFile)
  const args = o.argv ?? ['--import', 'tsx', o.entry]
  const p = spawn(process.execPath, [...(o.nodeArgs ?? []), ...args], {
    cwd: o.cwd ?? repoRoot,
    env: { ...process.env, ...o.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(p)
  p.stdout.pipe(log)
  p.stderr.pipe(log)
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    p.kill('SIGTERM')
    if (!(await exited(p, 10_000))) p.kill('SIGKILL')
    await exited(p, 5_000)
    children.delete(p)
  }
  const deadline = Date.now() + (o.readyTimeoutMs ?? 60_000)
  while (Date.now() < deadline && p.exitCode === null) {
    const ok = await fetch(url + o.readyPath).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return { name: o.name, url, pid: p.pid!, stop }
    await new Promise((r) => setTimeout(r, 100))
  }
  const exit = p.exitCode ?? p.signalCode
  await stop()
  const tail = (await readFile(o.logFile, 'utf8').catch(() => '')).split('\n').slice(-30).join('\n')
  throw new Error(
    `${o.name} did not become ready (${exit === null ? 'timed out' : `exited: ${exit}`}; log ${o.logFile}):\n${tail}`,
  )
}

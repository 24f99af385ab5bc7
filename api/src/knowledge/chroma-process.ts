import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'

export interface ChromaProcess {
  url: string
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** Path of the `chroma` CLI shipped by the chromadb package (no download at run time). */
function chromaCli(): string {
  // chromadb's exports map hides package.json; resolve its entry and walk to the dist folder.
  const require = createRequire(import.meta.url)
  let dir = dirname(require.resolve('chromadb'))
  while (!dir.endsWith('dist') && dir !== dirname(dir)) dir = dirname(dir)
  return join(dir, 'cli.mjs')
}

/**
 * Embedded mode: runs `chroma run` as a child process on a free loopback port, data under
 * `dataDir`, and waits for its heartbeat. One child per API process; stopped with the app.
 */
export async function startChroma(
  dataDir: string,
  timeoutMs = 30_000,
  /** A fixed port (a test restarting the same server where its clients point); a free one by default. */
  port?: number,
): Promise<ChromaProcess> {
  mkdirSync(dataDir, { recursive: true })
  if (port !== undefined) return startOn(port, dataDir, timeoutMs)
  // The free port is free when asked, not when chroma binds it: another process may take it in
  // between. Chroma then exits at once; a fresh port is the fix, not a longer wait.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await freePort(), dataDir, timeoutMs)
    } catch (err) {
      if (!(err instanceof ExitedEarly) || attempt >= 3) throw err
    }
  }
}

class ExitedEarly extends Error {}

async function startOn(port: number, dataDir: string, timeoutMs: number): Promise<ChromaProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [chromaCli(), 'run', '--path', dataDir, '--host', '127.0.0.1', '--port', String(port)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new ExitedEarly(`chroma exited with ${child.exitCode}: ${stderr}`)
    const ok = await fetch(`${url}/api/v2/heartbeat`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) {
      return {
        url,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve()
            const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
            child.once('exit', () => {
              clearTimeout(timer)
              resolve()
            })
            child.kill('SIGTERM')
          }),
      }
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`chroma did not answer on ${url} within ${timeoutMs} ms: ${stderr}`)
}

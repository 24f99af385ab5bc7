// A `luneo` command (bin/luneo.ts) run as a real child process for the fault tests, so that a kill
// is a kill: SIGKILL ends it wherever it is, with no `finally` and no shutdown hook.
import { spawn, type ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

export interface LuneoChild {
  proc: ChildProcess
  /** Every stdout line so far. */
  lines: string[]
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /**
   * Resolves with the first line (from `from` on) matching `re`, on the very `data` event that
   * carries it, so a kill sent then lands while the child still waits in the window it announced.
   * Rejects if the child exits first or after `ms`.
   */
  nextLine(re: RegExp, ms: number, from?: number): Promise<{ line: string; index: number }>
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>
}

export function spawnLuneo(args: string[], env: Record<string, string>, label = args.join(' ')): LuneoChild {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bin/luneo.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const seen = new EventEmitter()
  const lines: string[] = []
  let buffered = ''
  proc.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const parts = buffered.split('\n')
    buffered = parts.pop()!
    for (const l of parts) lines.push(l)
    if (parts.length) seen.emit('line')
  })
  let stderr = ''
  proc.stderr.on('data', (c: Buffer) => void (stderr = (stderr + c.toString()).slice(-4000)))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') console.error(`${label} exited ${code ?? signal}:\n${stderr}`)
      resolve({ code, signal })
    }),
  )
  const child: LuneoChild = {
    proc,
    lines,
    exited,
    nextLine(re, ms, from = 0) {
      return new Promise((resolve, reject) => {
        const settle = (err: Error | null, hit?: { line: string; index: number }) => {
          clearTimeout(timer)
          seen.off('line', check)
          proc.off('exit', onExit)
          if (err) reject(err)
          else resolve(hit!)
        }
        const check = () => {
          const i = lines.findIndex((l, at) => at >= from && re.test(l))
          if (i < 0) return false
          settle(null, { line: lines[i]!, index: i })
          return true
        }
        const onExit = () => {
          if (!check()) settle(new Error(`${label} exited before printing ${re}:\n${stderr}`))
        }
        const timer = setTimeout(
          () => settle(new Error(`${label}: no ${re} within ${ms} ms:\n${stderr}`)),
          ms,
        )
        seen.on('line', check)
        proc.on('exit', onExit)
        check()
      })
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
      await exited
    },
  }
  return child
}

import { openSync, writeSync } from 'node:fs'

/**
 * Where the API's log lines go: lines logged during one turn of the event loop are written
 * together at the end of that turn (setImmediate), and whatever is pending when the process
 * exits. pino's default destination writes each line on its own: two writes per request
 * (received, completed), the largest part of what logging cost a small request
 * (bench/README.md, validation_logging_overhead). A line still leaves within the turn it was
 * logged in, so a quiet server's log is as prompt as before.
 */
export class CoalescingLogStream {
  #pending: string[] = []
  #scheduled = false

  constructor(private readonly out: (chunk: string) => void) {
    process.once('exit', () => this.flush())
  }

  write(line: string): void {
    this.#pending.push(line)
    if (this.#scheduled) return
    this.#scheduled = true
    setImmediate(() => this.flush())
  }

  flush(): void {
    this.#scheduled = false
    if (this.#pending.length === 0) return
    const chunk = this.#pending.join('')
    this.#pending = []
    this.out(chunk)
  }
}

// One for the process: every app built in it (tests build many) shares stdout and its exit flush.
let stdout: CoalescingLogStream | undefined

/**
 * The API's Fastify logger at `level`: to stdout, or appended to `file` (the bench's /dev/null).
 * Writes are synchronous, as pino's default destination's: lines are never reordered.
 */
export function apiLoggerOptions(
  level: string,
  file?: string,
): { level: string; stream: CoalescingLogStream } {
  if (file) {
    const fd = openSync(file, 'a')
    return { level, stream: new CoalescingLogStream((chunk) => writeSync(fd, chunk)) }
  }
  stdout ??= new CoalescingLogStream((chunk) => process.stdout.write(chunk))
  return { level, stream: stdout }
}

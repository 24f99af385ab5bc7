import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { apiLoggerOptions, CoalescingLogStream } from './logging.js'

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

describe('CoalescingLogStream', () => {
  it('writes the lines of one event-loop turn together, in order, at the end of that turn', async () => {
    const writes: string[] = []
    const s = new CoalescingLogStream((chunk) => writes.push(chunk))
    s.write('a\n')
    s.write('b\n')
    s.write('c\n')
    expect(writes).toEqual([])
    await nextTurn()
    expect(writes).toEqual(['a\nb\nc\n'])
    s.write('d\n')
    await nextTurn()
    expect(writes).toEqual(['a\nb\nc\n', 'd\n'])
    s.flush() // nothing pending: no empty write
    expect(writes).toHaveLength(2)
  })

  it("carries Fastify's request lines to the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luneo-log-'))
    try {
      const file = join(dir, 'api.log')
      const app = Fastify({ logger: apiLoggerOptions('info', file) })
      app.get('/x', async () => ({ ok: true }))
      expect((await app.inject({ method: 'GET', url: '/x' })).statusCode).toBe(200)
      await nextTurn()
      const lines = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { msg: string; reqId?: string })
      expect(lines.map((l) => l.msg)).toEqual(['incoming request', 'request completed'])
      expect(lines[0]!.reqId).toBe(lines[1]!.reqId)
      await app.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

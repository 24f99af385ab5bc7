// Fault (a): the sink process is SIGKILLed in the middle of a batch, ten times during a 20k-event
// run. The sink runs as a child (`node --import tsx bin/luneo.ts ingest sink`) with its own chDB
// data dir; this process runs the relay and reads ClickHouse only after the last child exited
// (one process owns a chDB dir at a time).
import { spawn, type ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openClickHouse, type PostgresHandle } from '@luneo/warehouse'
import { openTestPostgres, tempDir } from '@luneo/warehouse/testing'
import type { KafkaHandle } from '../kafka/kafka.js'
import { createKafkaPublisher } from '../relay/kafka-publisher.js'
import { OutboxRelay } from '../relay/outbox-relay.js'
import {
  brokers,
  expectExactlyOnce,
  freshTopic,
  openTestKafka,
  seedOutbox,
  waitFor,
  warnIfNoBroker,
} from './harness.js'

warnIfNoBroker('sink-sigkill.int.test')
const root = fileURLToPath(new URL('../../../', import.meta.url))

interface SinkChild {
  proc: ChildProcess
  batches: number
  exited: Promise<number | null>
  /** Resolves once `n` more batches were written (and the child paused before committing). */
  afterBatches(n: number): Promise<void>
}

/** Every `sink-batch` line of every child: [partition, first offset, last offset]. */
const ranges: [number, number, number][] = []

/** Messages written to ClickHouse more than once: a batch redelivered after a kill. */
function redelivered(): number {
  const seen = new Map<number, number>()
  let again = 0
  for (const [p, first, last] of ranges) {
    const upTo = seen.get(p) ?? -1
    if (first <= upTo) again += Math.min(upTo, last) - first + 1
    seen.set(p, Math.max(upTo, last))
  }
  return again
}

function spawnSink(env: Record<string, string>): SinkChild {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bin/luneo.ts', 'ingest', 'sink'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const batchSeen = new EventEmitter()
  const child: SinkChild = {
    proc,
    batches: 0,
    exited: new Promise((resolve) => proc.on('exit', (code) => resolve(code))),
    // Resolves on the very line that reports the batch (not on a 100 ms poll), so an even kill
    // lands while the child still pauses between its insert and its commit.
    afterBatches(n) {
      const target = child.batches + n
      return new Promise<void>((resolve, reject) => {
        const settle = (err?: Error) => {
          clearTimeout(timer)
          batchSeen.off('batch', check)
          proc.off('exit', check)
          if (err) reject(err)
          else resolve()
        }
        const check = () => {
          if (child.batches >= target || proc.exitCode !== null) settle()
        }
        const timer = setTimeout(() => settle(new Error(`timed out waiting for ${n} sink batches`)), 60_000)
        batchSeen.on('batch', check)
        proc.on('exit', check)
        check()
      })
    },
  }
  let buffered = ''
  proc.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const lines = buffered.split('\n')
    buffered = lines.pop()!
    for (const l of lines) {
      const m = /^sink-batch partition=(\d+) first=(\d+) last=(\d+)/.exec(l)
      if (!m) continue
      child.batches += 1
      ranges.push([Number(m[1]), Number(m[2]), Number(m[3])])
      batchSeen.emit('batch')
    }
  })
  let stderr = ''
  proc.stderr.on('data', (c: Buffer) => void (stderr = (stderr + c.toString()).slice(-4000)))
  proc.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL') console.error(`sink child exited ${code ?? signal}:\n${stderr}`)
  })
  return child
}

describe.skipIf(!brokers)('(a) sink SIGKILLed mid-batch', () => {
  const dir = tempDir('luneo-sigkill-')
  let pg: PostgresHandle
  let kafka: KafkaHandle

  beforeAll(async () => {
    pg = await openTestPostgres()
    kafka = openTestKafka('sigkill')
  })
  afterAll(async () => {
    await kafka?.close()
    await pg?.close()
    dir.remove()
  })

  it('ten kills during a 20k-event run lose nothing and double nothing', { timeout: 240_000 }, async () => {
    const t0 = Date.now()
    const topic = await freshTopic(kafka, 'sigkill')
    const groupId = `sink-${topic}`
    const { organizations } = await seedOutbox(pg.db, {
      total: 20_000,
      organizations: 3,
      conversationsPerOrg: 40,
    })
    const producer = await kafka.producer()
    const relay = new OutboxRelay(pg.db, createKafkaPublisher(producer, topic), {
      batchSize: 500,
      idleMs: 20,
    })
    relay.start()
    const env = {
      KAFKA_BROKERS: brokers!,
      LUNEO_DATA_DIR: dir.path,
      LUNEO_EVENTS_TOPIC: topic,
      LUNEO_SINK_GROUP: groupId,
      LUNEO_KAFKA_SESSION_TIMEOUT_MS: '6000',
      // ~16 KiB ≈ 35 events per batch: many batches, so every kill lands inside one.
      LUNEO_SINK_MAX_BYTES: '16384',
      LUNEO_SINK_TRACE: '1',
      // Each batch waits 15 ms between its ClickHouse insert and its offset commit: the window in
      // which a kill forces redelivery of rows ClickHouse already has.
      LUNEO_FAULT_PAUSE_AFTER_WRITE_MS: '15',
    }
    let written = 0
    for (let kill = 0; kill < 10; kill++) {
      const child = spawnSink(env)
      await child.afterBatches(3 + ((kill * 7) % 9))
      // Even kills: right after a batch reached ClickHouse, before its commit. Odd kills: at a
      // random moment of the next batches (decode, insert or commit).
      if (kill % 2 === 1) await new Promise((r) => setTimeout(r, Math.random() * 150))
      child.proc.kill('SIGKILL')
      await child.exited
      written += child.batches
    }
    const last = spawnSink(env)
    await waitFor(async () => (await relay.backlog()) === 0, 120_000, 'relay done')
    await waitFor(
      async () => (await kafka.admin.consumerLag(groupId, topic)) === 0,
      120_000,
      'sink caught up',
    )
    last.proc.kill('SIGTERM')
    expect(await last.exited).toBe(0)
    await relay.stop()
    console.log(
      `(a) 10 SIGKILLs: ${written} batches before the kills, ${last.batches} after, ` +
        `${redelivered()} messages written twice by the sink; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    )
    // At least the even kills hit the insert→commit window: their batches came back.
    expect(redelivered()).toBeGreaterThan(0)

    const ch = await openClickHouse({ dataDir: join(dir.path, 'clickhouse') })
    try {
      const counts = await expectExactlyOnce(pg.db, ch.ch, organizations)
      expect(Object.values(counts).reduce((n, c) => n + c.outbox, 0)).toBe(20_000)
    } finally {
      await ch.close()
    }
  })
})

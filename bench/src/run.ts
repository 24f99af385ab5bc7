// `make bench` driver (DESIGN §7–§8). Spawns each server under test as a child process, loads it
// with autocannon from this process over loopback, prints `BENCH <name> <value> <unit>` lines and
// writes bench/results.json. Env: DATABASE_URL (required: a PostgreSQL server; infra/bench.sh
// starts one), BENCH_CONNECTIONS (20), BENCH_WARMUP_SEC (2), BENCH_DURATION_SEC (10),
// BENCH_ROUNDS (4: slices of the alternating bare/validated measurement).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrateDatabase, runSettingsFromEnv } from './load-profile.js'
import { openFigures } from './results.js'
import { measureApiConversations } from './scenarios/api-conversations.js'
import { emitBareInsertFigures, measureBareInserts } from './scenarios/bare-insert.js'
import { measureIngest } from './scenarios/ingest-throughput.js'
import { measureEngineMessages } from './scenarios/engine-messages.js'
import { measurePipelines } from './scenarios/pipelines-wall-time.js'
import { measureEmbedders } from './scenarios/embedders.js'
import { measureEngineEmbedding } from './scenarios/engine-embedding.js'
import { analyticsSettingsFromEnv, measureAnalyticsLatency } from './scenarios/analytics-latency.js'
import { measureOverviewTime, overviewSettingsFromEnv } from './scenarios/overview-time.js'
import { repoRoot, runDriver } from './spawn-server.js'

async function main(): Promise<void> {
  const t0 = performance.now()
  const s = runSettingsFromEnv(process.env)
  mkdirSync(s.logDir, { recursive: true })
  await migrateDatabase(s.databaseUrl)
  const out = openFigures()
  const bareInserts = await measureBareInserts(s)
  const { bare } = bareInserts
  emitBareInsertFigures(out, bareInserts)

  // The API right after the bare route, so the ratio's two sides see much the same machine.
  const api = await measureApiConversations(s, 'server')
  out.latency('api_conversations', api)
  out.emit('api_conversations_vs_bare_insert', api.reqPerSec / bare.reqPerSec, 'x')
  out.emit('api_p99_vs_bare_p99', api.p99Ms / bare.p99Ms, 'x')

  const embedded = await measureApiConversations(s, 'embedded')
  out.latency('embedded_api_conversations', embedded)
  out.emit('embedded_vs_server_api', embedded.reqPerSec / api.reqPerSec, 'x')

  // The stream: per Kafka client, and against this run's POST /conversations (the write path's max).
  await measureIngest(s, api, (name, value, unit) => out.emit(name, value, unit))

  // Engine throughput (issue #3): messages/s through the whole chain, against this run's
  // POST /conversations and bare-insert figures. Pipeline wall time per 100k events (issue #5).
  await measureEngineMessages(s, (name, value, unit) => out.emit(name, value, unit), {
    conversations: api,
    bare,
  })
  await measurePipelines(
    (name, value, unit) => out.emit(name, value, unit),
    Number.parseInt(process.env.BENCH_PIPELINE_EVENTS ?? '100000', 10),
  )

  // Embedding cost per embedder: ms per message, chunks indexed per second (models/README.md).
  await measureEmbedders((name, value, unit) => out.emit(name, value, unit))

  // The demo is seeded once (~85 s) and the three scenarios that read it take turns on its data dir.
  const demoDir = mkdtempSync(join(tmpdir(), 'luneo-bench-demo-'))
  try {
    // Embedding inside the engine's turns (issue 9): the demo seed's turns, indexing, a turn's p95, RSS.
    await measureEngineEmbedding((name, value, unit) => out.emit(name, value, unit), { dataDir: demoDir })

    // Analytics read p95 on the demo data set (DESIGN §8 < 300 ms): embedded API, LUNEO_DEMO=true.
    await measureAnalyticsLatency(
      { ...analyticsSettingsFromEnv(process.env), dataDir: demoDir },
      (name, value, unit) => out.emit(name, value, unit),
    )

    // Time until the executive overview shows its numbers in Chromium (issue 10: < 1.5 s, warm server).
    await measureOverviewTime(
      { ...overviewSettingsFromEnv(process.env), dataDir: demoDir },
      (name, value, unit) => out.emit(name, value, unit),
    )
  } finally {
    rmSync(demoDir, { recursive: true, force: true })
  }

  const wallSec = (performance.now() - t0) / 1000
  const { databaseUrl: _url, logDir: _logs, ...shown } = s
  out.write(join(repoRoot, 'bench', 'results.json'), shown, wallSec)
  console.error(
    `[bench] done in ${wallSec.toFixed(0)} s; results in bench/results.json, server logs in ${s.logDir}`,
  )
}

// Whatever happens, no server under test outlives the driver.
runDriver('[bench]', main)

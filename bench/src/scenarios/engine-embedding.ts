// Embedding inside the engine (issue 9): the real API (api/src/server.ts) in embedded mode with
// the default embedder (MiniLM once `make install` fetched it) on a fresh data dir, LUNEO_DEMO=true.
// The demo's 1,800 conversations go through the real engine, so after the seed /metrics holds the
// embed calls of real turns (api/src/knowledge/embed-timings.ts): the question's embedding
// (retrieval) and the answer's sentences (the local provider), and the indexing of 18
// organizations' starter knowledge. Then the API process's RSS, and a turn's latency over HTTP:
// sequential messages (one connection: a turn's own time, not a queue's) to a fresh tenant.
//
// Run alone (no PostgreSQL needed): `node --import tsx bench/src/scenarios/engine-embedding.ts`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { seedTenant } from '../api-seed.js'
import { quantile } from '../load.js'
import { defaultLogDir } from '../load-profile.js'
import { openFigures } from '../results.js'
import { runDriver, spawnServer } from '../spawn-server.js'
import { demoApiEnv, demoSeeded } from './analytics-latency.js'
import { engineQuestions, openConversations } from './engine-messages.js'

type Emit = (name: string, value: number, unit: string) => void

/** `luneo_embed_*` samples from the Prometheus text, keyed `name{labels}`. */
export function embedSamples(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    const m = /^(luneo_embed_\w+)(\{[^}]*\})? (\S+)$/.exec(line)
    if (m) out.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]))
  }
  return out
}

/** Resident set size of a process, from /proc (Linux). */
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN) / 1024

async function turnLatencies(base: string, messages: number): Promise<Float64Array> {
  const tenant = await seedTenant(base)
  const conversations = await openConversations(base, tenant, Math.ceil(messages / 5), 1)
  const ms = new Float64Array(messages)
  for (let i = 0; i < messages; i++) {
    const c = conversations[i % conversations.length]!
    const text = engineQuestions[i % engineQuestions.length]!
    const t0 = performance.now()
    const r = await fetch(`${base}/api/v1/conversations/${c}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: tenant.authorization },
      body: JSON.stringify({ text }),
    })
    await r.text()
    if (r.status !== 201) throw new Error(`engine embedding bench: message ${r.status}`)
    ms[i] = performance.now() - t0
  }
  return ms.sort()
}

/** Emits `engine_embed_*`, `engine_index_*`, `engine_turn_*` and `api_rss_after_demo_mb`. */
export async function measureEngineEmbedding(
  emit: Emit,
  o: {
    messages?: number
    logDir?: string
    /** An empty dir to seed the demo into and leave seeded (`make bench` reuses it); else a temp dir. */
    dataDir?: string
  } = {},
) {
  const { messages = 300, logDir = defaultLogDir } = o
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'luneo-bench-embedding-'))
  const logFile = join(logDir, 'api-embedding.log')
  try {
    const t0 = performance.now()
    const server = await spawnServer({
      name: 'api-embedding',
      entry: 'api/src/server.ts',
      // The scheduler as in `make dev` (an empty value: its default).
      env: demoApiEnv(dataDir, ''),
      readyPath: '/readyz',
      logFile,
      readyTimeoutMs: 120_000,
    })
    try {
      const seeded = await demoSeeded(server, logFile, 600_000)
      console.error(
        `[bench] embedding: seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${seeded}`,
      )
      emit('api_rss_after_demo_mb', rssMb(server.pid), 'MB')
      const m = embedSamples(await (await fetch(`${server.url}/metrics`)).text())
      const at = (k: string) => m.get(k) ?? Number.NaN
      for (const purpose of ['query', 'answer'])
        for (const [q, p] of [
          ['0.5', 'p50'],
          ['0.95', 'p95'],
        ])
          emit(
            `engine_embed_${purpose}_${p}_ms`,
            at(`luneo_embed_ms{purpose="${purpose}",quantile="${q}"}`),
            'ms',
          )
      const calls = at('luneo_embed_calls_total{purpose="query"}')
      const spent = at('luneo_embed_ms_total{purpose="query"}') + at('luneo_embed_ms_total{purpose="answer"}')
      emit('engine_embed_ms_per_message', spent / calls, 'ms')
      const chunks = at('luneo_embed_texts_total{purpose="index"}')
      emit(
        'engine_index_embed_chunks_per_sec',
        chunks / (at('luneo_embed_ms_total{purpose="index"}') / 1000),
        'chunks/s',
      )
      console.error(
        `[bench] embedding: ${calls} questions embedded in the seed's turns, ${chunks} chunks indexed`,
      )

      const turns = await turnLatencies(server.url, messages)
      emit('engine_turn_p50_ms', quantile(turns, 0.5), 'ms')
      emit('engine_turn_p95_ms', quantile(turns, 0.95), 'ms')
      emit('api_rss_after_turns_mb', rssMb(server.pid), 'MB')
    } finally {
      await server.stop()
    }
  } finally {
    if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
}

// Run on its own: prints the figures (bench/results.json is the full driver's).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDriver('[bench] embedding', async () => {
    mkdirSync(defaultLogDir, { recursive: true })
    const out = openFigures()
    await measureEngineEmbedding((name, value, unit) => out.emit(name, value, unit))
  })
}

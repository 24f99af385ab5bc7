// Engine throughput (issue #3): customer messages/s through the whole conversation chain,
// `POST /api/v1/conversations/:id/messages {text}` on the real API (api/src/server.ts) in its own
// process: API-key lookup, conversation/agent/organization loads, safety checks, intent, retrieval
// from Chroma (the API's own child process), history, the local provider, one transaction
// (customer message, action, reply, memory, outbox, audit). Compared with POST /conversations and
// with the bare insert measured earlier in the same run.
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon, { type Result } from 'autocannon'
import { openPostgres } from '@luneo/warehouse'
import { seedTenant, type ApiTenant } from '../api-seed.js'
import { quantile, type Measurement } from '../load.js'
import type { RunSettings } from '../load-profile.js'
import { cpuSeconds, spawnServer } from '../spawn-server.js'

type Emit = (name: string, value: number, unit: string) => void

/**
 * What a conversation's customer says, in order, from a per-conversation offset. Eight questions
 * the ecommerce starter knowledge answers and two it does not (~20 % unanswered, the engine's
 * "I don't have the answer" path). The two are never adjacent, even across the wrap-around: two
 * unanswered replies in a row hand the conversation off, after which the engine skips retrieval
 * and the model — a cheaper turn that would flatter the figure.
 */
export const engineQuestions = [
  'How long does delivery take?',
  'Where is my order?',
  'Do you ship to Canada?',
  'How do I return an item?',
  'Which payment methods do you accept?',
  'Can I cancel my order?',
  'Is this jacket waterproof?',
  'How much is shipping?',
  'When will I get my refund?',
  'Has my order shipped yet?',
]

/** Conversations the load rotates over (each one gets a message every `pool` requests). */
const defaultPool = 1000

function apiEnv(s: RunSettings, dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LUNEO_SECURE_COOKIES: 'false',
    LUNEO_SECRET: 'bench-secret-0123456789abcdef',
    LUNEO_DATA_DIR: dataDir,
    DATABASE_URL: s.databaseUrl,
    CLICKHOUSE_URL: '',
    LUNEO_LOG_LEVEL: 'warn',
    LUNEO_RATE_LIMIT_PER_MINUTE: '100000000',
    LUNEO_WIDGET_RATE_LIMIT_PER_MINUTE: '100000000',
    // The write path only: no relay, no scheduled pipelines, no demo seeding in the background.
    LUNEO_DRAINER: 'false',
    LUNEO_PIPELINES_INTERVAL_MS: '0',
    LUNEO_DEMO: 'false',
  }
}

/** CPU seconds of every live descendant of `pid` (the API's Chroma child), from /proc (Linux). */
function descendantsCpuSeconds(pid: number): number {
  let total = 0
  const children = (p: number): number[] => {
    try {
      return readdirSync(`/proc/${p}/task`).flatMap((tid) =>
        readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
      )
    } catch {
      return []
    }
  }
  const stack = children(pid)
  while (stack.length) {
    const c = stack.pop()!
    try {
      total += cpuSeconds(c)
    } catch {
      continue // exited meanwhile
    }
    stack.push(...children(c))
  }
  return total
}

/** Opens `n` conversations on the tenant's agent, `concurrency` at a time (not measured). */
export async function openConversations(base: string, t: ApiTenant, n: number, concurrency: number) {
  const ids: string[] = new Array<string>(n)
  let next = 0
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const r = await fetch(`${base}/api/v1/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: t.authorization },
        body: JSON.stringify({
          agentId: t.agentId,
          channel: 'api',
          contact: { email: `engine-customer-${i}@example.com`, name: 'Bench Customer' },
        }),
      })
      if (r.status !== 201) throw new Error(`POST /conversations: ${r.status} ${await r.text()}`)
      ids[i] = String(((await r.json()) as { id: string }).id)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return ids
}

interface Phase {
  result: Result
  latencies: number[]
}

/** One closed-loop phase: request i goes to conversation i mod pool, with that conversation's next question. */
async function fire(
  base: string,
  t: ApiTenant,
  conversations: string[],
  next: () => number,
  connections: number,
  durationSec: number,
): Promise<Phase> {
  const latencies: number[] = []
  const instance = autocannon({
    url: base,
    connections,
    duration: durationSec,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/conversations/pending/messages',
        headers: { 'content-type': 'application/json', authorization: t.authorization },
        setupRequest: (req) => {
          const i = next()
          const c = i % conversations.length
          const turn = Math.floor(i / conversations.length)
          const text = engineQuestions[(c + turn) % engineQuestions.length]!
          return {
            ...req,
            path: `/api/v1/conversations/${conversations[c]}/messages`,
            body: JSON.stringify({ text }),
          }
        },
      },
    ],
  })
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms)
  })
  const result = await instance
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(
      `engine messages: ${result.non2xx} non-2xx answers, ${result.errors} errors (${result.timeouts} timeouts), codes ${JSON.stringify(result.statusCodeStats)}`,
    )
  return { result, latencies }
}

interface Committed {
  messages: number
  conversations: number
  groundedReplies: number
  replies: number
  handedOff: number
}

/** What the run left in Postgres for the agent, read once the server is gone. */
async function committed(url: string, agentId: string): Promise<Committed> {
  const pg = await openPostgres({ url, maxConnections: 1 })
  try {
    const count = <T extends { n: unknown }>(row: T) => Number(row.n)
    const byRole = await pg.db
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .where('conversations.agent_id', '=', agentId)
      .select((eb) => [
        'messages.role',
        eb.fn.countAll<string>().as('n'),
        eb.fn
          .count<string>('messages.id')
          .filterWhere(eb.ref('messages.metadata', '->>').key('grounded'), '=', 'true')
          .as('grounded'),
      ])
      .groupBy('messages.role')
      .execute()
    const byStatus = await pg.db
      .selectFrom('conversations')
      .where('agent_id', '=', agentId)
      .select((eb) => ['status', eb.fn.countAll<string>().as('n')])
      .groupBy('status')
      .execute()
    const agent = byRole.find((r) => r.role === 'agent')
    return {
      messages: byRole.reduce((sum, r) => sum + count(r), 0),
      replies: agent ? count(agent) : 0,
      groundedReplies: Number(agent?.grounded ?? 0),
      conversations: byStatus.reduce((sum, r) => sum + count(r), 0),
      handedOff: byStatus.filter((r) => r.status === 'handed_off').reduce((sum, r) => sum + count(r), 0),
    }
  } finally {
    await pg.close()
  }
}

/** Emits engine_messages_* figures; `conversations` and `bare` are this run's earlier measurements. */
export async function measureEngineMessages(
  s: RunSettings,
  emit: Emit,
  yardsticks: { conversations: Measurement; bare: Measurement },
  /** Extra node flags for the API process, e.g. `--cpu-prof` to see where a message's time goes. */
  nodeArgs: string[] = [],
): Promise<void> {
  const t0 = performance.now()
  const pool = process.env.BENCH_ENGINE_CONVERSATIONS
    ? Number.parseInt(process.env.BENCH_ENGINE_CONVERSATIONS, 10)
    : defaultPool
  const dataDir = mkdtempSync(join(tmpdir(), 'luneo-bench-engine-'))
  try {
    const server = await spawnServer({
      name: 'api-engine',
      entry: 'api/src/server.ts',
      env: apiEnv(s, dataDir),
      readyPath: '/readyz',
      logFile: join(s.logDir, 'api-engine.log'),
      readyTimeoutMs: 120_000,
      nodeArgs,
    })
    let tenant: ApiTenant
    let warm: Phase
    let main: Phase
    let cpu: { api: number; chroma: number }
    try {
      // Signup, API key (admin covers conversations:write), agent: its 201 comes once the
      // template's starter knowledge is in Chroma.
      tenant = await seedTenant(server.url)
      const conversations = await openConversations(server.url, tenant, pool, s.connections)
      let i = 0
      const next = () => i++
      const api0 = cpuSeconds(server.pid)
      const chroma0 = descendantsCpuSeconds(server.pid)
      warm = await fire(server.url, tenant, conversations, next, s.connections, s.warmupSec)
      main = await fire(server.url, tenant, conversations, next, s.connections, s.durationSec)
      cpu = { api: cpuSeconds(server.pid) - api0, chroma: descendantsCpuSeconds(server.pid) - chroma0 }
    } finally {
      await server.stop()
    }

    const answered = warm.result['2xx'] + main.result['2xx']
    const perSec = main.result['2xx'] / main.result.duration
    const sorted = Float64Array.from(main.latencies).sort()
    const p99 = quantile(sorted, 0.99)
    emit('engine_messages_per_sec', perSec, 'msg/s')
    emit('engine_messages_p50_ms', quantile(sorted, 0.5), 'ms')
    emit('engine_messages_p95_ms', quantile(sorted, 0.95), 'ms')
    emit('engine_messages_p99_ms', p99, 'ms')
    emit('engine_messages_server_cpu_per_msg', (cpu.api * 1000) / answered, 'ms')
    emit('engine_messages_chroma_cpu_per_msg', (cpu.chroma * 1000) / answered, 'ms')
    emit('engine_messages_vs_conversations', perSec / yardsticks.conversations.reqPerSec, 'x')
    // DESIGN §8's own yardstick for this route: ≥ 0.5× the bare insert, p99 ≤ 2× its p99.
    emit('engine_messages_vs_bare_insert', perSec / yardsticks.bare.reqPerSec, 'x')
    emit('engine_messages_p99_vs_bare_p99', p99 / yardsticks.bare.p99Ms, 'x')

    // Every 201 is a committed turn: the customer's message and the reply. A request in flight
    // when a phase's clock stops still commits but is not counted, hence the slack.
    const c = await committed(s.databaseUrl, tenant.agentId)
    const slack = 2 * s.connections
    if (c.conversations !== pool)
      throw new Error(`engine bench: ${pool} conversations opened but ${c.conversations} rows exist`)
    if (c.messages < 2 * answered || c.messages > 2 * (answered + slack))
      throw new Error(`engine bench: ${answered} messages answered 201 but ${c.messages} message rows exist`)
    emit('engine_messages_grounded_replies', (100 * c.groundedReplies) / c.replies, '%')
    emit('engine_messages_handed_off_conversations', (100 * c.handedOff) / c.conversations, '%')
    console.error(
      `[bench] engine: ${answered} messages (${warm.result['2xx']} in warm-up) over ${pool} conversations, ` +
        `${c.messages} message rows committed; ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    )
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

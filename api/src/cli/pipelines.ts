import { parseArgs } from 'node:util'
import { loadConfig } from '../config.js'
import { openStores } from '../stores.js'

const usage = `usage: luneo pipelines run [job] [--org ID] [--since ISO-TIME] [--full]
  With CLICKHOUSE_URL (and DATABASE_URL) set, runs the jobs here against the servers.
  Otherwise asks the running API (LUNEO_API_URL, default http://127.0.0.1:$PORT) with LUNEO_OPERATOR_TOKEN,
  because in embedded mode one process owns chDB's data directory.`

interface Report {
  job: string
  organizationId: string
  rowsIn: number
  rowsOut: number
  ms: number
}

const line = (r: Report) =>
  `${r.job.padEnd(26)} org=${r.organizationId.slice(0, 8)} in=${r.rowsIn} out=${r.rowsOut} ${r.ms} ms`

/** `luneo pipelines run …`: for cron or a Kubernetes CronJob. Exit code 0 when every job ran. */
export async function runPipelinesCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      org: { type: 'string' },
      since: { type: 'string' },
      full: { type: 'boolean', default: false },
    },
  })
  const [command, job] = positionals
  if (command !== 'run') {
    console.error(usage)
    return 2
  }
  const since = values.since ? new Date(values.since) : undefined
  if (since && Number.isNaN(since.getTime())) {
    console.error(`--since: not a time: ${values.since}`)
    return 2
  }
  const t0 = Date.now()
  let reports: Report[]
  if (env.CLICKHOUSE_URL) {
    const config = loadConfig({
      ...env,
      LUNEO_DRAINER: 'false',
      LUNEO_PIPELINES_INTERVAL_MS: '0',
      LUNEO_WEBHOOKS: 'false',
      LUNEO_LOG_LEVEL: 'warn',
    })
    const stores = await openStores(config)
    try {
      reports = await stores.deps.pipelines.runAll({
        only: job,
        organizationId: values.org,
        since,
        full: values.full,
      })
    } finally {
      await stores.close()
    }
  } else {
    const token = env.LUNEO_OPERATOR_TOKEN
    if (!token) {
      console.error(
        'LUNEO_OPERATOR_TOKEN is required to ask the running server (or set CLICKHOUSE_URL to run here)',
      )
      return 2
    }
    const base = env.LUNEO_API_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`
    const res = await fetch(`${base}/internal/pipelines/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        job,
        organizationId: values.org,
        since: since?.toISOString(),
        full: values.full,
      }),
    })
    const body = (await res.json()) as { jobs?: Report[]; detail?: string }
    if (!res.ok) {
      console.error(`the server answered ${res.status}: ${body.detail ?? ''}`)
      return 1
    }
    reports = body.jobs ?? []
  }
  for (const r of reports) console.log(line(r))
  console.log(`${reports.length} job runs in ${Date.now() - t0} ms`)
  return 0
}

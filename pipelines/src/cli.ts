import { parseArgs } from 'node:util'
import type { PipelineRunner } from './runner/pipeline-runner.js'
import type { RunReport } from './runner/run.js'

const usage = `usage: luneo pipelines run [job] [--org ID] [--since ISO-TIME] [--full]
  With CLICKHOUSE_URL (and DATABASE_URL) set, runs the jobs here against the servers.
  Otherwise asks the running API (LUNEO_API_URL, default http://127.0.0.1:$PORT) with LUNEO_OPERATOR_TOKEN,
  because in embedded mode one process owns chDB's data directory.`

/** A runner on the servers, opened by the composition root (the api knows how to open stores). */
export interface OpenedRunner {
  runner: PipelineRunner
  close(): Promise<void>
}

type Report = Pick<RunReport, 'job' | 'organizationId' | 'rowsIn' | 'rowsOut' | 'ms'>

const line = (r: Report) =>
  `${r.job.padEnd(26)} org=${r.organizationId.slice(0, 8)} in=${r.rowsIn} out=${r.rowsOut} ${r.ms} ms`

interface Request {
  only: string | undefined
  organizationId: string | undefined
  since: Date | undefined
  full: boolean
}

/**
 * `luneo pipelines run …`: for cron or a Kubernetes CronJob. Exit code 0 when every job ran.
 * `openHere` opens the stores in this process (server mode only).
 */
export async function runPipelinesCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  openHere: (env: NodeJS.ProcessEnv) => Promise<OpenedRunner>,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      org: { type: 'string' },
      since: { type: 'string' },
      full: { type: 'boolean', default: false },
    },
  })
  const [command, only] = positionals
  if (command !== 'run') {
    console.error(usage)
    return 2
  }
  const since = values.since ? new Date(values.since) : undefined
  if (since && Number.isNaN(since.getTime())) {
    console.error(`--since: not a time: ${values.since}`)
    return 2
  }
  const request: Request = { only, organizationId: values.org, since, full: values.full }
  const t0 = Date.now()
  let reports: Report[]
  if (env.CLICKHOUSE_URL) {
    const opened = await openHere(env)
    try {
      reports = await opened.runner.runAll(request)
    } finally {
      await opened.close()
    }
  } else {
    const token = env.LUNEO_OPERATOR_TOKEN
    if (!token) {
      console.error(
        'LUNEO_OPERATOR_TOKEN is required to ask the running server (or set CLICKHOUSE_URL to run here)',
      )
      return 2
    }
    const asked = await askServer(env.LUNEO_API_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`, token, request)
    if ('error' in asked) {
      console.error(asked.error)
      return 1
    }
    reports = asked.jobs
  }
  for (const r of reports) console.log(line(r))
  console.log(`${reports.length} job runs in ${Date.now() - t0} ms`)
  return 0
}

/** POST /internal/pipelines/run on the running server (operator token). */
async function askServer(
  base: string,
  token: string,
  r: Request,
): Promise<{ jobs: Report[] } | { error: string }> {
  const res = await fetch(`${base}/internal/pipelines/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      job: r.only,
      organizationId: r.organizationId,
      since: r.since?.toISOString(),
      full: r.full,
    }),
  })
  const body = (await res.json()) as { jobs?: Report[]; detail?: string }
  if (!res.ok) return { error: `the server answered ${res.status}: ${body.detail ?? ''}` }
  return { jobs: body.jobs ?? [] }
}

// `luneo` command line. Run through the shim next to it (bin/luneo), or directly:
//   node --import tsx bin/luneo.ts ingest relay | sink | replay --from <ISO time>
//   node --import tsx bin/luneo.ts pipelines run [job] [--org ID] [--since ISO-TIME] [--full]
//   node --import tsx bin/luneo.ts bench generate --events 10M [--seed S] [--organizations 200]
// The commands live in their packages; this file only routes to them (and hands the pipelines
// the api's way of opening the stores, since the api is the composition root).
import { runIngestCli } from '@luneo/ingest'
import { runPipelinesCli } from '@luneo/pipelines'
import { openRunnerHere } from '@luneo/api'
// The CLI entry only: the bench's front door also exports its load tools (autocannon).
import { runBenchCli } from '@luneo/bench/cli'

const [area, ...rest] = process.argv.slice(2)
const usage = `usage: luneo ingest relay | sink | replay --from <ISO time>
       luneo pipelines run [job] [--org ID] [--since ISO-TIME] [--full]
       luneo bench generate --events N [--seed S] [--organizations N] [--until ISO-TIME] [--no-pipelines]`

async function main(): Promise<number> {
  if (area === 'ingest') return runIngestCli(rest, process.env)
  if (area === 'pipelines') return runPipelinesCli(rest, process.env, openRunnerHere)
  if (area === 'bench') return runBenchCli(rest, process.env)
  console.error(usage)
  return 2
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  },
)

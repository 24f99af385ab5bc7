// `luneo ingest relay` in a process of its own, for the end-to-end stream figure: as deployed,
// the relay and the sink are separate processes. Its metrics endpoint listens on the PORT
// spawnServer chose, which is how the driver knows it is up.
import { runIngestCli } from '@luneo/ingest'

const code = await runIngestCli(['relay'], { ...process.env, LUNEO_METRICS_PORT: process.env.PORT })
process.exit(code)

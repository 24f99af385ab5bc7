import { buildApp } from './app.js'
import { loadConfig } from './config.js'
import { openStores } from './stores.js'
import { DEMO_EMAIL, DEMO_PASSWORD, seedDemo } from './demo/seed.js'

/** `make dev` / production entry: open stores, serve, drain the outbox, stop cleanly on a signal. */
async function main(): Promise<void> {
  const config = loadConfig()
  const stores = await openStores(config)
  const app = await buildApp(stores.deps)
  stores.drainer?.start()
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) {
      app.log.warn(`${signal} again: exiting without waiting`)
      process.exit(1)
    }
    stopping = true
    app.log.info(`${signal}: closing (finishing requests, the drainer's batch, then the stores)`)
    await app.close()
    await stores.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
  await app.listen({ host: config.host, port: config.port })
  app.log.info(
    {
      postgres: stores.deps.stores.postgres,
      clickhouse: stores.deps.stores.clickhouse,
      dataDir: config.dataDir,
    },
    `Luneo API on http://${config.host}:${config.port} — docs at /docs`,
  )
  if (config.demo) void seedInBackground(stores, (line) => app.log.info(line))
}

/** Seeds the demo after the API is up (readyz answers meanwhile), then rebuilds the analytics. */
async function seedInBackground(stores: Awaited<ReturnType<typeof openStores>>, log: (line: string) => void) {
  try {
    const t0 = Date.now()
    const r = await seedDemo(stores.deps, { log })
    if (r.organizations === 0) return log('[demo] data dir not empty: no demo seeded')
    await stores.drainer?.drainAll()
    await stores.deps.pipelines.runAll({ full: true })
    log(
      `[demo] ${r.organizations} organizations, ${r.conversations} conversations in ${Math.round((Date.now() - t0) / 1000)} s — sign in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}`,
    )
  } catch (err) {
    console.error('[demo] seeding failed', err)
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})

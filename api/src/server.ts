import { buildApp } from './app.js'
import { loadConfig } from './config.js'
import { openStores } from './stores.js'

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
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})

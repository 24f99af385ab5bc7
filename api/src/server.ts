import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { hasOrganizations } from '@luneo/warehouse'
import { buildApp } from './app.js'
import { loadConfig } from './config.js'
import { openStores } from './wiring/stores.js'
import { DEMO_EMAIL, DEMO_PASSWORD, seedDemo } from './demo/seed.js'

/** `make dev` / production entry: open stores, serve, drain the outbox, stop cleanly on a signal. */
async function main(): Promise<void> {
  const config = loadConfig()
  const stores = await openStores(config)
  const app = await buildApp(stores.deps)
  stores.drainer?.start()
  let stopping = false
  const stop = async (reason: string, code = 0) => {
    if (stopping) {
      app.log.warn(`${reason} again: exiting without waiting`)
      process.exit(1)
    }
    stopping = true
    app.log.info(`${reason}: closing (finishing requests, the drainer's batch, then the stores)`)
    await app.close()
    await stores.close()
    process.exit(code)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
  // A drainer that stopped for good (e.g. the events table is missing) ends the process non-zero:
  // a supervisor restarts it and the cause is in the log, instead of events piling up unseen.
  void stores.drainer?.crashed.then(() => stop('outbox drainer stopped for good', 1))
  await app.listen({ host: config.host, port: config.port })
  app.log.info(
    {
      postgres: stores.deps.stores.postgres,
      clickhouse: stores.deps.stores.clickhouse,
      dataDir: config.dataDir,
    },
    `Luneo API on http://${config.host}:${config.port} — docs at /docs`,
  )
  if (config.demo) void seedInBackground(stores, config.dataDir, (line) => app.log.info(line))
}

/**
 * Seeds the demo after the API is up (readyz answers meanwhile), then rebuilds the analytics.
 * A marker in the data dir tells a finished demo from one a Ctrl-C interrupted.
 */
async function seedInBackground(
  stores: Awaited<ReturnType<typeof openStores>>,
  dataDir: string,
  log: (line: string) => void,
) {
  const marker = join(dataDir, 'demo.json')
  const signIn = `sign in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}`
  try {
    const t0 = Date.now()
    const hasData = await hasOrganizations(stores.deps.db)
    if (hasData) {
      const status = existsSync(marker)
        ? (JSON.parse(readFileSync(marker, 'utf8')) as { status: string }).status
        : null
      if (status === 'complete') return log(`[demo] demo data present — ${signIn}`)
      if (status === 'seeding') {
        return log(
          `[demo] a previous demo seeding was interrupted, so the demo is partial: stop, delete ${dataDir}, start again`,
        )
      }
      return log('[demo] the data dir holds your own data: no demo seeded')
    }
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(marker, JSON.stringify({ status: 'seeding', startedAt: new Date().toISOString() }))
    const r = await seedDemo(stores.deps, { log })
    await stores.drainer?.drainAll()
    await stores.deps.pipelines.runAll({ full: true })
    writeFileSync(marker, JSON.stringify({ status: 'complete', completedAt: new Date().toISOString() }))
    log(
      `[demo] ${r.organizations} organizations, ${r.conversations} conversations in ${Math.round((Date.now() - t0) / 1000)} s — ${signIn}`,
    )
  } catch (err) {
    console.error('[demo] seeding failed', err)
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})

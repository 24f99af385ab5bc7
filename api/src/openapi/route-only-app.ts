import type { FastifyInstance } from 'fastify'
import { buildApp } from '../app.js'
import { loadConfig } from '../config.js'
import type { AppDeps } from '../context.js'

/** Stands in for a store the app must never reach: any use throws, naming what was touched. */
function unreachable<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get(_target, prop) {
      throw new Error(`${name}.${String(prop)} was reached: this app has no stores`)
    },
  })
}

/**
 * The app with its routes and plugins but no store behind it: enough for what is decided before a
 * handler runs (the OpenAPI document, routing, 404 and 405). Opening PGlite, chDB and Chroma to
 * print a document would cost seconds and prove nothing more; a route that touches a store while
 * being registered throws here instead.
 */
export async function openRouteOnlyApp(): Promise<FastifyInstance> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LUNEO_LOG_LEVEL: 'silent',
    LUNEO_SECRET: 'route-only-app-secret',
  })
  const deps: AppDeps = {
    config,
    secret: config.secret!,
    stores: { postgres: 'pglite', clickhouse: 'chdb' },
    db: unreachable('db'),
    ch: unreachable('ch'),
    ai: unreachable('ai'),
    pipelines: unreachable('pipelines'),
  }
  const app = await buildApp(deps)
  await app.ready()
  return app
}

// Wiring for `luneo pipelines run` on servers: the command is @luneo/pipelines'; opening the
// stores is the api's (it is the composition root), so bin/luneo.ts hands this in.
import type { OpenedRunner } from '@luneo/pipelines'
import { loadConfig } from '../config.js'
import { openStores } from './stores.js'

/** Opens the stores in this process with nothing else running (no drainer, scheduler or webhooks). */
export async function openRunnerHere(env: NodeJS.ProcessEnv): Promise<OpenedRunner> {
  const config = loadConfig({
    ...env,
    LUNEO_DRAINER: 'false',
    LUNEO_PIPELINES_INTERVAL_MS: '0',
    LUNEO_WEBHOOKS: 'false',
    LUNEO_LOG_LEVEL: 'warn',
  })
  const stores = await openStores(config)
  return { runner: stores.deps.pipelines, close: () => stores.close() }
}

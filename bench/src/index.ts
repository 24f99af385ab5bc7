// @luneo/bench — the pieces `make bench` is built from, for other benchmarks to reuse.
export { measure, type Measurement, type LoadOptions } from './load.js'
export {
  spawnServer,
  killAllChildren,
  freePort,
  type ServerProcess,
  type SpawnOptions,
} from './spawn-server.js'
export { seedTenant, type ApiTenant } from './api-seed.js'
export { openFigures, type Figure } from './results.js'

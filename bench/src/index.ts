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
export {
  generateDataSet,
  type GenerateOptions,
  type DataSetSummary,
  type TenantSummary,
} from './generate/generate.js'
export { runBenchCli, BENCH_OWNER_PASSWORD } from './generate/cli.js'

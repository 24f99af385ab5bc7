// @luneo/api — the HTTP front door.
export { buildApp } from './app.js'
export { loadConfig, type Config } from './config.js'
export { openStores, type Stores } from './stores.js'
export { errorCatalogue, AppError, type ErrorCode } from './errors.js'
export type { AppDeps, Auth, Access } from './context.js'
export { runPipelinesCli } from './cli/pipelines.js'

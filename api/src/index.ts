// @luneo/api — the HTTP front door.
export { buildApp } from './app.js'
export { loadConfig, type Config } from './config.js'
export { openStores, type Stores } from './wiring/stores.js'
export { errorCatalogue, AppError, type ErrorCode } from './errors.js'
export type { AppDeps } from './context.js'
export type { Access, Auth, Caller } from './caller.js'
export { openRunnerHere } from './wiring/cli.js'
/** The password hash the API checks at sign-in (the benchmark's data generator creates owners with it). */
export { hashPassword } from './auth/crypto.js'

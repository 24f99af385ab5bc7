import type { Ch, Db, Role, Scope } from '@luneo/warehouse'
import type { Config } from './config.js'
import type { AiParts } from './engine-deps.js'
import type { KeyCache } from './auth/key-cache.js'
import type { PipelineRunner } from './analytics/pipelines.js'

/** What the API needs from the outside world, built once at start (stores.ts) and passed in. */
export interface AppDeps {
  config: Config
  db: Db
  ch: Ch
  /** HMAC key for access tokens. */
  secret: string
  stores: { postgres: 'pglite' | 'postgres'; clickhouse: 'chdb' | 'server' }
  /** Embedder, LLM provider, knowledge index (Chroma) and the conversation engine. */
  ai: AiParts
  /** Runs the organization-scoped pipeline jobs now (analytics refresh) or all of them. */
  pipelines: PipelineRunner
  /** Called after a request committed events, so the drainer moves them without waiting for its poll. */
  onEventsCommitted?: () => void
  /**
   * Test seam for the atomicity test: called at named points inside write transactions (between
   * the domain insert and the outbox insert). Production leaves it unset.
   */
  faultPoint?: (point: string) => void
  /** API-key principals for a few seconds (one lookup fewer per machine request). */
  keyCache?: KeyCache
  /** Rows waiting in the outbox (for /metrics). */
  outboxBacklog?: () => Promise<number>
}

export type Actor =
  | { type: 'user'; userId: string; email: string; role: Role; sessionId: string }
  | { type: 'api_key'; keyId: string; scopes: Scope[] }

/** Who is calling, and for which organization. Every query downstream is scoped by organizationId. */
export interface Auth {
  organizationId: string
  vertical: string
  actor: Actor
  /** True when the caller authenticated with cookies (CSRF rules apply). */
  viaCookie: boolean
}

/** Who a route admits: people by minimum role, machines by any one of the scopes (`admin` admits all). */
/**
 * Who a route admits: anyone (`public`), any signed-in caller, people by minimum role and machines
 * by scope, or the platform operator (`operator`: LUNEO_OPERATOR_TOKEN, for cron and the CLI).
 */
export type Access = 'public' | 'authenticated' | 'operator' | { role: Role; scopes: readonly Scope[] }

export const ROLE_RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2, owner: 3 }

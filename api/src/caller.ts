// The caller vocabulary: who is asking, for which organization, and who a route admits. Everything
// below the routes (services, audit, the engine) takes a plain Caller, never an HTTP request, so
// the demo seeder, the CLI and tests call them the same way the routes do.
import type { Role, Scope } from '@luneo/warehouse'
import { AppError } from './errors.js'

export type { Role, Scope }

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

/** The little of a logger that services use: pino's `(object, message)` shape (console fits too). */
export interface Log {
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/**
 * A service call's caller: who (auth), under which request id (the correlation id of every event
 * and audit row the call writes), and where its warnings go.
 */
export interface Caller {
  auth: Auth
  requestId: string
  log: Log
}

/**
 * Who a route admits: anyone (`public`), any signed-in caller, people by minimum role and machines
 * by any one of the scopes (`admin` admits all), or the platform operator (`operator`:
 * LUNEO_OPERATOR_TOKEN, for cron and the CLI).
 */
export type Access = 'public' | 'authenticated' | 'operator' | { role: Role; scopes: readonly Scope[] }

export const ROLE_RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2, owner: 3 }

/** The actor's id as audit rows record it. */
export const actorId = (actor: Actor): string => (actor.type === 'user' ? actor.userId : actor.keyId)

/** The signed-in user behind a session; an API key has none (403). */
export function userOf(auth: Auth): Extract<Actor, { type: 'user' }> {
  if (auth.actor.type !== 'user') throw new AppError('forbidden', 'API keys have no user; use a session')
  return auth.actor
}

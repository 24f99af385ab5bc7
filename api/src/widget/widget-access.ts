import type { FastifyReply, FastifyRequest } from 'fastify'
import { anyWidgetKeyAllows, findWidgetKey, type Db } from '@luneo/warehouse'
import type { Auth } from '../caller.js'
import { AppError } from '../errors.js'

export const WIDGET_KEY_HEADER = 'x-luneo-widget-key'
export const WIDGET_TOKEN_HEADER = 'x-luneo-widget-token'
const PUBLIC_KEY = /^pk_[A-Za-z0-9_-]{20,64}$/
// Browsers cache a preflight this long (Chromium caps it at 2 h), so a chatting visitor sends one.
const PREFLIGHT_MAX_AGE_SECONDS = 600

/** A widget request's caller: the key, the page it is on, and the Auth the engine acts with. */
export interface WidgetCaller {
  keyId: string
  agentId: string
  origin: string
  /** USD per UTC day the key's turns may cost; null = no cap. */
  dailySpendCapUsd: number | null
  auth: Auth
}

/**
 * Resolves `x-luneo-widget-key` and checks the page's Origin against the key's allowed origins.
 * The engine then runs with a synthetic Auth for the key's organization: an API-key actor (the
 * widget key's id, so audit rows name it) that may only write conversations.
 */
export async function resolveWidgetCaller(db: Db, req: FastifyRequest): Promise<WidgetCaller> {
  const publicKey = req.headers[WIDGET_KEY_HEADER]
  if (typeof publicKey !== 'string' || !PUBLIC_KEY.test(publicKey))
    throw new AppError('unauthenticated', `Send the widget's public key as ${WIDGET_KEY_HEADER}`)
  const key = await findWidgetKey(db, publicKey)
  if (!key) throw new AppError('unauthenticated', 'Unknown or revoked widget key')
  const origin = req.headers.origin
  if (typeof origin !== 'string' || !key.allowed_origins.includes(origin))
    throw new AppError('origin_forbidden', `Origin ${origin ?? '(none)'} may not use this widget key`)
  return {
    keyId: key.id,
    agentId: key.agent_id,
    origin,
    dailySpendCapUsd: key.daily_spend_cap_usd,
    auth: {
      organizationId: key.organization_id,
      vertical: key.vertical,
      actor: { type: 'api_key', keyId: key.id, scopes: ['conversations:write'] },
      viaCookie: false,
    },
  }
}

/** Lets the page read the answer: its exact origin, no credentials (the widget sends no cookies). */
export function allowOrigin(reply: FastifyReply, origin: string): void {
  void reply.header('access-control-allow-origin', origin).header('vary', 'Origin')
}

/**
 * Answers a CORS preflight for /widget/*. A preflight carries no custom headers, so the key is
 * unknown here: the origin is allowed when some live widget key lists it. The request that
 * follows is then checked against its own key (resolveWidgetCaller), so this grants nothing.
 */
export async function answerPreflight(db: Db, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const origin = req.headers.origin
  void reply.header('vary', 'Origin')
  if (typeof origin === 'string' && (await anyWidgetKeyAllows(db, origin))) {
    allowOrigin(reply, origin)
    void reply
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', `content-type, ${WIDGET_KEY_HEADER}, ${WIDGET_TOKEN_HEADER}`)
      .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS))
  }
  await reply.code(204).send()
}

/**
 * One visitor's bucket: the widget key and the client's address. The key's own bucket (below)
 * still bounds the whole site; this one keeps a single client — a script with the page's public
 * key and a forged Origin — from using up every real visitor's allowance.
 */
export function widgetClientRateKey(req: FastifyRequest): string {
  return `${widgetRateKey(req)}:ip:${req.ip}`
}

/** Rate-limit bucket: one per widget key, so one site's flood spends only its own allowance. */
export function widgetRateKey(req: FastifyRequest): string {
  const publicKey = req.headers[WIDGET_KEY_HEADER]
  return typeof publicKey === 'string' && PUBLIC_KEY.test(publicKey) ? `widget:${publicKey}` : `ip:${req.ip}`
}

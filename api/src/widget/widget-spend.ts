import { addWidgetKeySpend, widgetKeySpent, type Db } from '@luneo/warehouse'
import { AppError } from '../errors.js'
import type { WidgetCaller } from './widget-access.js'

const DAY_MS = 24 * 3600 * 1000

/** The UTC day of an instant, YYYY-MM-DD (the spending ledger's day). */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * Refuses a widget turn once the key spent its daily cap (before the model is called): the page
 * that embeds the key, or any script that copied it, cannot spend past it. Answers 429 with
 * Retry-After until the next UTC day. A burst already in flight may pass the cap by those turns.
 */
export async function checkSpendCap(db: Db, visitor: WidgetCaller, now: number): Promise<number | null> {
  if (visitor.dailySpendCapUsd === null) return null
  const spent = await widgetKeySpent(db, visitor.keyId, utcDay(now))
  if (spent < visitor.dailySpendCapUsd) return null
  return Math.ceil((Math.floor(now / DAY_MS) * DAY_MS + DAY_MS - now) / 1000)
}

export function spendCapReached(capUsd: number): AppError {
  return new AppError(
    'rate_limited',
    `This assistant reached its daily spending limit (${capUsd} USD); it answers again tomorrow (UTC)`,
  )
}

/** Adds a committed turn's model cost to the key's day. */
export async function recordSpend(db: Db, visitor: WidgetCaller, usd: number, now: number): Promise<void> {
  await addWidgetKeySpend(db, {
    organization_id: visitor.auth.organizationId,
    widget_key_id: visitor.keyId,
    day: utcDay(now),
    usd,
  })
}

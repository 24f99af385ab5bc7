import { createHmac, timingSafeEqual } from 'node:crypto'

// The scheme Stripe and Svix use: HMAC-SHA256 over "<timestamp>.<raw body>", so a captured
// delivery cannot be replayed later with a fresh timestamp, nor its body swapped.

/** Default replay window for `verifyWebhookSignature`: 5 minutes either side of the receiver's clock. */
export const DEFAULT_TOLERANCE_SECONDS = 300

/** `sha256=<hex>` for a delivery: HMAC-SHA256 of `<timestamp>.<body>` with the organization's secret. */
export function signWebhook(secret: string, timestamp: string | number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

export interface VerifyOptions {
  /** Refuse timestamps further than this from `now` (seconds); `Infinity` turns the check off. */
  toleranceSeconds?: number
  /** Current time in ms (tests). */
  now?: number
}

/**
 * For receivers: true when `header` (the `x-luneo-signature` value) signs this exact raw body and
 * timestamp (`x-luneo-timestamp`, Unix seconds) with the secret, and the timestamp is recent.
 * Pass the body exactly as received, before any JSON parsing.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  header: string,
  opts: VerifyOptions = {},
): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false
  const tolerance = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS
  const nowSeconds = (opts.now ?? Date.now()) / 1000
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) return false
  const expected = Buffer.from(signWebhook(secret, timestamp, body))
  const given = Buffer.from(header)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

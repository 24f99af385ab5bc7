import { sql } from 'kysely'
import type { WebhookDelivery } from '../schema.js'
import type { Db } from '../db.js'
import { paginate, type Page, type PageRequest } from './page.js'
import { claimLease } from './lease.js'

export async function setOrganizationWebhook(
  db: Db,
  organizationId: string,
  url: string | null,
  secret: string | null,
): Promise<void> {
  await db
    .updateTable('organizations')
    .set({ webhook_url: url, webhook_secret: secret, updated_at: new Date() })
    .where('id', '=', organizationId)
    .execute()
}

export async function enqueueWebhook(
  db: Db,
  d: {
    id: string
    organization_id: string
    event_type: string
    url: string
    payload: Record<string, unknown>
  },
): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    // Due now by dueWebhooks' clock (the API's), as enqueueEmail says.
    .values({ ...d, payload: JSON.stringify(d.payload), next_attempt_at: new Date() })
    .execute()
}

/**
 * Deliveries due now, with the organization's signing secret, taken in turns across
 * organizations: each organization's oldest first, then each one's second… So a tenant with a
 * thousand queued deliveries (a receiver that hangs) fills one slot per turn, not the whole batch.
 */
export async function dueWebhooks(db: Db, limit: number) {
  const ranked = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('organizations as o', 'o.id', 'd.organization_id')
    .select([
      'd.id',
      'd.organization_id',
      'd.event_type',
      'd.url',
      'd.payload',
      'd.attempts',
      'd.next_attempt_at',
      'o.webhook_secret',
      sql<number>`row_number() OVER (PARTITION BY d.organization_id ORDER BY d.next_attempt_at, d.id)`.as(
        'turn',
      ),
    ])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', new Date())
  return db
    .selectFrom(ranked.as('r'))
    .select(['id', 'organization_id', 'event_type', 'url', 'payload', 'attempts', 'webhook_secret'])
    .orderBy('turn')
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** Puts a delivery back to `at` without counting an attempt (its destination's breaker is open). */
export async function deferWebhook(db: Db, id: string, at: Date): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: at })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute()
}

export async function recordWebhookAttempt(
  db: Db,
  id: string,
  r: {
    status: 'pending' | 'delivered' | 'failed'
    attempts: number
    next_attempt_at: Date
    last_error: string | null
  },
): Promise<void> {
  await db.updateTable('webhook_deliveries').set(r).where('id', '=', id).execute()
}

export async function listWebhookDeliveries(
  db: Db,
  organizationId: string,
  page: PageRequest,
): Promise<Page<WebhookDelivery>> {
  return paginate(
    db.selectFrom('webhook_deliveries').selectAll().where('organization_id', '=', organizationId),
    'id',
    page,
  )
}

/** Leases a due row for one sender (claimLease). */
export const claimWebhookAttempt = (
  db: Db,
  row: { id: string; attempts: number },
  at: { now: Date; leaseUntil: Date },
): Promise<boolean> => claimLease(db, 'webhook_deliveries', row, at)

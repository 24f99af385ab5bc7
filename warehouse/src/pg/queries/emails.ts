import type { Db } from '../db.js'
import type { EmailStatus, OutgoingEmail } from '../schema.js'
import { claimLease } from './lease.js'

/** Queues an email in the caller's transaction: it leaves if and only if its cause commits. */
export async function enqueueEmail(
  db: Db,
  e: {
    id: string
    organization_id: string
    kind: string
    to_address: string
    subject: string
    text_body: string
  },
): Promise<void> {
  // Due now by the clock dueEmails reads (the API's, in milliseconds): the column's default, the
  // database's now() in microseconds, is up to a millisecond later, so a dispatcher nudged right
  // after the commit would not see the row until its next poll.
  await db
    .insertInto('email_outbox')
    .values({ ...e, next_attempt_at: new Date() })
    .execute()
}

/** Emails due now, oldest first. */
export async function dueEmails(db: Db, limit: number): Promise<OutgoingEmail[]> {
  return db
    .selectFrom('email_outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', new Date())
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** Leases a due row for one sender (claimLease). */
export const claimEmail = (
  db: Db,
  row: { id: string; attempts: number },
  at: { now: Date; leaseUntil: Date },
): Promise<boolean> => claimLease(db, 'email_outbox', row, at)

/**
 * Records an attempt. A mail that left (`sent`) loses its body: the one-time link in it lives in
 * the database only while it waits. A `logged` one (no SMTP server: dev) keeps it for the reader.
 */
export async function recordEmailAttempt(
  db: Db,
  id: string,
  r: { status: EmailStatus; attempts: number; next_attempt_at: Date; last_error: string | null },
): Promise<void> {
  await db
    .updateTable('email_outbox')
    .set({
      ...r,
      ...(r.status === 'sent' || r.status === 'logged' ? { sent_at: new Date() } : {}),
      ...(r.status === 'sent' || r.status === 'failed' ? { text_body: null } : {}),
    })
    .where('id', '=', id)
    .execute()
}

/** An organization's emails, newest first (what was sent on its behalf, and to whom). */
export async function listEmails(db: Db, organizationId: string, limit = 50): Promise<OutgoingEmail[]> {
  return db
    .selectFrom('email_outbox')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

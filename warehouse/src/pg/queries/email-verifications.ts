import { sql } from 'kysely'
import type { Db } from '../db.js'

export async function insertEmailVerification(
  db: Db,
  v: {
    id: string
    organization_id: string
    user_id: string
    email: string
    token_hash: string
    expires_at: Date
  },
): Promise<void> {
  await db.insertInto('email_verifications').values(v).execute()
}

/** Finds an unused, unexpired link by its token hash and spends it in the same statement. */
export async function consumeEmailVerification(db: Db, tokenHash: string) {
  return db
    .updateTable('email_verifications')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning(['id', 'organization_id', 'user_id', 'email'])
    .executeTakeFirst()
}

/**
 * Marks the user's address proven — only if it is still the address the proof was for (an
 * address changed since proves nothing). True when it is (proven now or before), false otherwise.
 */
export async function markEmailVerified(db: Db, userId: string, email: string): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set((eb) => ({ email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(new Date())) }))
    .where('id', '=', userId)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

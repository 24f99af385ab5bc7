import type { Kysely } from 'kysely'
import type { Contact, Database } from '../schema.js'

export interface ContactInput {
  email?: string | undefined
  phone?: string | undefined
  name?: string | undefined
}

/**
 * Finds the organization's contact by email, then phone, and merges what was learned
 * (progressive profile); creates one when nothing matches.
 */
export async function upsertContact(
  db: Kysely<Database>,
  organizationId: string,
  newId: string,
  input: ContactInput,
): Promise<Contact> {
  const email = input.email?.toLowerCase()
  let found: Contact | undefined
  if (email) {
    found = await db
      .selectFrom('contacts')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('email', '=', email)
      .executeTakeFirst()
  }
  if (!found && input.phone) {
    found = await db
      .selectFrom('contacts')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('phone', '=', input.phone)
      .executeTakeFirst()
  }
  if (!found) {
    return db
      .insertInto('contacts')
      .values({
        id: newId,
        organization_id: organizationId,
        email: email ?? null,
        phone: input.phone ?? null,
        name: input.name ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
  }
  const patch = {
    email: found.email ?? email ?? null,
    phone: found.phone ?? input.phone ?? null,
    name: input.name ?? found.name,
  }
  if (patch.email === found.email && patch.phone === found.phone && patch.name === found.name) return found
  return db
    .updateTable('contacts')
    .set({ ...patch, updated_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('id', '=', found.id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function getContact(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
): Promise<Contact | undefined> {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** The organization's contact with this email, any case (emails are stored lower-cased). */
export async function findContactByEmail(
  db: Kysely<Database>,
  organizationId: string,
  email: string,
): Promise<Contact | undefined> {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst()
}

import type { Kysely } from 'kysely'
import type { Database, Organization, Vertical } from '../schema.js'

export interface NewOrganization {
  id: string
  name: string
  vertical: Vertical
}

export async function insertOrganization(db: Kysely<Database>, org: NewOrganization): Promise<Organization> {
  return db
    .insertInto('organizations')
    .values({ ...org, settings: '{}' })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The organization itself: its id is the scope. */
export async function getOrganization(
  db: Kysely<Database>,
  organizationId: string,
): Promise<Organization | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', organizationId).executeTakeFirst()
}

export interface RoiAssumptionsPatch {
  minutes_per_conversation?: number | undefined
  hourly_cost?: number | undefined
  currency?: string | undefined
  locale?: string | undefined
  subscription_monthly?: number | undefined
  resolution_window_hours?: number | undefined
  durable_days?: number | undefined
}

export async function updateOrganizationRoi(
  db: Kysely<Database>,
  organizationId: string,
  patch: RoiAssumptionsPatch,
): Promise<Organization | undefined> {
  return db
    .updateTable('organizations')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', organizationId)
    .returningAll()
    .executeTakeFirst()
}

/** Whether the database holds any organization (the demo seeds only an empty one). */
export async function hasOrganizations(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('organizations').select('id').limit(1).execute()).length > 0
}

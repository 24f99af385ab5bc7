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

/** What an organization lets leave for a remote model (organizations.settings.privacy). */
export interface OrganizationPrivacy {
  /** The contact's name in remote prompts; off by default: PII stays in Postgres unless allowed. */
  namesToRemoteModels: boolean
}

export function organizationPrivacy(o: Pick<Organization, 'settings'>): OrganizationPrivacy {
  const privacy = (o.settings as { privacy?: Partial<OrganizationPrivacy> } | null)?.privacy
  return { namesToRemoteModels: privacy?.namesToRemoteModels === true }
}

/**
 * Sets the organization's privacy settings, merged into its settings document. Call it inside a
 * transaction: the row is read for update so a concurrent settings write is not lost.
 */
export async function updateOrganizationPrivacy(
  db: Kysely<Database>,
  organizationId: string,
  privacy: OrganizationPrivacy,
): Promise<Organization | undefined> {
  const org = await db
    .selectFrom('organizations')
    .select('settings')
    .where('id', '=', organizationId)
    .forUpdate()
    .executeTakeFirst()
  if (!org) return undefined
  const settings = { ...((org.settings as Record<string, unknown> | null) ?? {}), privacy }
  return db
    .updateTable('organizations')
    .set({ settings: JSON.stringify(settings), updated_at: new Date() })
    .where('id', '=', organizationId)
    .returningAll()
    .executeTakeFirst()
}

/**
 * Ids of the organizations established enough to count in benchmarks: created before `createdBefore`
 * and, with `verifiedOwner`, with at least one owner whose email address is proven. A fake
 * organization then costs its age and a mailbox someone can read, not only a sign-up form.
 */
export async function establishedOrganizations(
  db: Kysely<Database>,
  opts: { createdBefore: Date; verifiedOwner: boolean },
): Promise<Set<string>> {
  let q = db.selectFrom('organizations as o').select('o.id').where('o.created_at', '<', opts.createdBefore)
  if (opts.verifiedOwner)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('memberships as m')
          .innerJoin('users as u', 'u.id', 'm.user_id')
          .select('m.id')
          .whereRef('m.organization_id', '=', 'o.id')
          .where('m.role', '=', 'owner')
          .where('u.email_verified_at', 'is not', null),
      ),
    )
  const rows = await q.execute()
  return new Set(rows.map((r) => r.id))
}

/** Whether the database holds any organization (the demo seeds only an empty one). */
export async function hasOrganizations(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('organizations').select('id').limit(1).execute()).length > 0
}

import { sql } from 'kysely'
import type { WidgetKey } from '../schema.js'
import type { Db } from '../db.js'
import { paginate, type Page, type PageRequest } from './page.js'

export async function insertWidgetKey(
  db: Db,
  k: { id: string; organization_id: string; agent_id: string; public_key: string; allowed_origins: string[] },
): Promise<WidgetKey> {
  return db.insertInto('widget_keys').values(k).returningAll().executeTakeFirstOrThrow()
}

export async function findWidgetKey(db: Db, publicKey: string) {
  return db
    .selectFrom('widget_keys as w')
    .innerJoin('organizations as o', 'o.id', 'w.organization_id')
    .select(['w.id', 'w.organization_id', 'w.agent_id', 'w.allowed_origins', 'o.vertical'])
    .where('w.public_key', '=', publicKey)
    .where('w.revoked_at', 'is', null)
    .executeTakeFirst()
}

export async function listWidgetKeys(
  db: Db,
  organizationId: string,
  page: PageRequest,
): Promise<Page<WidgetKey>> {
  return paginate(
    db
      .selectFrom('widget_keys')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('revoked_at', 'is', null),
    'id',
    page,
  )
}

export async function revokeWidgetKey(db: Db, organizationId: string, id: string): Promise<boolean> {
  const r = await db
    .updateTable('widget_keys')
    .set({ revoked_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** One live (not revoked) widget key of the organization. */
export async function getWidgetKey(
  db: Db,
  organizationId: string,
  id: string,
): Promise<WidgetKey | undefined> {
  return db
    .selectFrom('widget_keys')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
}

/**
 * Whether any live key (of any organization) allows this origin: the answer to a CORS preflight,
 * which names no key. A scan of live keys' origin arrays: a few thousand rows, and browsers cache it.
 */
export async function anyWidgetKeyAllows(db: Db, origin: string): Promise<boolean> {
  const row = await db
    .selectFrom('widget_keys')
    .select('id')
    .where('revoked_at', 'is', null)
    .where(sql<boolean>`${origin} = ANY(allowed_origins)`)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

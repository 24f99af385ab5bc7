import { sql } from 'kysely'
import type { WidgetKey } from '../schema.js'
import type { Db } from '../db.js'
import { paginate, type Page, type PageRequest } from './page.js'

export async function insertWidgetKey(
  db: Db,
  k: {
    id: string
    organization_id: string
    agent_id: string
    public_key: string
    allowed_origins: string[]
    daily_spend_cap_usd?: number | null
  },
): Promise<WidgetKey> {
  return db.insertInto('widget_keys').values(k).returningAll().executeTakeFirstOrThrow()
}

export async function findWidgetKey(db: Db, publicKey: string) {
  return db
    .selectFrom('widget_keys as w')
    .innerJoin('organizations as o', 'o.id', 'w.organization_id')
    .select([
      'w.id',
      'w.organization_id',
      'w.agent_id',
      'w.allowed_origins',
      'w.daily_spend_cap_usd',
      'o.vertical',
    ])
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

/** Sets a key's daily spending cap (null = none). False when the key is not the organization's. */
export async function setWidgetKeySpendCap(
  db: Db,
  organizationId: string,
  id: string,
  capUsd: number | null,
): Promise<WidgetKey | undefined> {
  return db
    .updateTable('widget_keys')
    .set({ daily_spend_cap_usd: capUsd })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst()
}

/** What the key's turns cost on a UTC day (YYYY-MM-DD), 0 before the first. */
export async function widgetKeySpent(db: Db, widgetKeyId: string, day: string): Promise<number> {
  const r = await db
    .selectFrom('widget_key_spend')
    .select('spent_usd')
    .where('widget_key_id', '=', widgetKeyId)
    .where('day', '=', day)
    .executeTakeFirst()
  return r?.spent_usd ?? 0
}

/** What several keys spent on a day, by key id (the admin list). */
export async function widgetKeysSpent(db: Db, ids: string[], day: string): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('widget_key_spend')
    .select(['widget_key_id', 'spent_usd'])
    .where('widget_key_id', 'in', ids)
    .where('day', '=', day)
    .execute()
  return new Map(rows.map((r) => [r.widget_key_id, r.spent_usd]))
}

/** Adds one turn's cost to the key's day (one statement: concurrent turns both count). */
export async function addWidgetKeySpend(
  db: Db,
  w: { organization_id: string; widget_key_id: string; day: string; usd: number },
): Promise<void> {
  await db
    .insertInto('widget_key_spend')
    .values({
      organization_id: w.organization_id,
      widget_key_id: w.widget_key_id,
      day: w.day,
      spent_usd: w.usd,
      turns: 1,
    })
    .onConflict((oc) =>
      oc.columns(['widget_key_id', 'day']).doUpdateSet((eb) => ({
        spent_usd: eb('widget_key_spend.spent_usd', '+', w.usd),
        turns: eb('widget_key_spend.turns', '+', 1),
      })),
    )
    .execute()
}

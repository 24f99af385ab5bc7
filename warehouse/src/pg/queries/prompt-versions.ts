import type { PromptVersion } from '../schema.js'
import type { Db } from '../db.js'
import { paginate, type Page, type PageRequest } from './page.js'

export async function insertPromptVersion(
  db: Db,
  p: {
    id: string
    organization_id: string
    name: string
    template: string
    style?: Record<string, unknown> | null | undefined
  },
): Promise<PromptVersion> {
  const last = await db
    .selectFrom('prompt_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('organization_id', '=', p.organization_id)
    .where('name', '=', p.name)
    .executeTakeFirst()
  const version = Number(last?.v ?? 0) + 1
  return (
    db
      .insertInto('prompt_versions')
      // jsonb takes its JSON text; node-postgres would send a plain object as a Postgres record.
      .values({ ...p, style: p.style ? JSON.stringify(p.style) : null, version })
      .returningAll()
      .executeTakeFirstOrThrow()
  )
}

export async function getPromptVersion(
  db: Db,
  organizationId: string,
  id: string,
): Promise<PromptVersion | undefined> {
  return db
    .selectFrom('prompt_versions')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function listPromptVersions(
  db: Db,
  organizationId: string,
  page: PageRequest,
): Promise<Page<PromptVersion>> {
  return paginate(
    db.selectFrom('prompt_versions').selectAll().where('organization_id', '=', organizationId),
    'id',
    page,
  )
}

import type { Kysely } from 'kysely'
import type { AuditEntry, Database } from '../schema.js'
import { paginate, type Page, type PageRequest } from './page.js'

export interface AuditInput {
  id: string
  organization_id: string
  actor_type: AuditEntry['actor_type']
  actor_id: string | null
  action: string
  resource_type: string
  resource_id: string | null
  request_id: string | null
  details?: Record<string, unknown>
}

export async function insertAudit(db: Kysely<Database>, entry: AuditInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ ...entry, details: JSON.stringify(entry.details ?? {}) })
    .execute()
}

export async function listAudit(
  db: Kysely<Database>,
  organizationId: string,
  page: PageRequest,
): Promise<Page<AuditEntry>> {
  return paginate(
    db.selectFrom('audit_log').selectAll().where('organization_id', '=', organizationId),
    'id',
    page,
  )
}

import type { Task } from '../schema.js'
import type { Db } from '../db.js'
import { paginate, type Page, type PageRequest } from './page.js'

export async function insertTask(
  db: Db,
  t: {
    id: string
    organization_id: string
    conversation_id: string | null
    kind: string
    details: Record<string, unknown>
  },
): Promise<Task> {
  return db
    .insertInto('tasks')
    .values({ ...t, details: JSON.stringify(t.details) })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function listTasks(db: Db, organizationId: string, page: PageRequest): Promise<Page<Task>> {
  return paginate(
    db.selectFrom('tasks').selectAll().where('organization_id', '=', organizationId),
    'id',
    page,
  )
}

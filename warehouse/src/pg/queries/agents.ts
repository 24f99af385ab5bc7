import type { Kysely } from 'kysely'
import type { Agent, Database, Vertical } from '../schema.js'
import { paginate, type Page, type PageRequest } from './page.js'

export interface NewAgentRow {
  id: string
  organization_id: string
  name: string
  vertical: Vertical
  template_version: string
  prompt_version_id: string | null
  settings: Record<string, unknown>
}

export async function insertAgent(db: Kysely<Database>, a: NewAgentRow): Promise<Agent> {
  return db
    .insertInto('agents')
    .values({ ...a, settings: JSON.stringify(a.settings) })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function getAgent(
  db: Kysely<Database>,
  organizationId: string,
  agentId: string,
): Promise<Agent | undefined> {
  return db
    .selectFrom('agents')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', agentId)
    .executeTakeFirst()
}

export async function listAgents(
  db: Kysely<Database>,
  organizationId: string,
  page: PageRequest,
): Promise<Page<Agent>> {
  return paginate(
    db.selectFrom('agents').selectAll().where('organization_id', '=', organizationId),
    'id',
    page,
  )
}

export interface AgentPatch {
  name?: string | undefined
  prompt_version_id?: string | null | undefined
  settings?: Record<string, unknown> | undefined
}

export async function updateAgent(
  db: Kysely<Database>,
  organizationId: string,
  agentId: string,
  patch: AgentPatch,
): Promise<Agent | undefined> {
  const { settings, ...rest } = patch
  return db
    .updateTable('agents')
    .set({ ...rest, ...(settings ? { settings: JSON.stringify(settings) } : {}), updated_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('id', '=', agentId)
    .returningAll()
    .executeTakeFirst()
}

export async function deleteAgent(
  db: Kysely<Database>,
  organizationId: string,
  agentId: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom('agents')
    .where('organization_id', '=', organizationId)
    .where('id', '=', agentId)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

/** True when the agent has conversations (it cannot be deleted then: they reference it). */
export async function agentHasConversations(
  db: Kysely<Database>,
  organizationId: string,
  agentId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('conversations')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('agent_id', '=', agentId)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

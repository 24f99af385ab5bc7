// Which knowledge bases an agent answers from (the agent_knowledge_bases link table).
import type { Db } from '../db.js'

/** Replaces the set of knowledge bases an agent answers from. */
export async function setAgentKnowledgeBases(
  db: Db,
  organizationId: string,
  agentId: string,
  kbIds: string[],
): Promise<void> {
  await db
    .deleteFrom('agent_knowledge_bases')
    .where('organization_id', '=', organizationId)
    .where('agent_id', '=', agentId)
    .execute()
  if (kbIds.length === 0) return
  await db
    .insertInto('agent_knowledge_bases')
    .values(
      [...new Set(kbIds)].map((kb) => ({
        organization_id: organizationId,
        agent_id: agentId,
        knowledge_base_id: kb,
      })),
    )
    .execute()
}

export async function agentKnowledgeBaseIds(
  db: Db,
  organizationId: string,
  agentId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('agent_knowledge_bases')
    .select('knowledge_base_id')
    .where('organization_id', '=', organizationId)
    .where('agent_id', '=', agentId)
    .orderBy('created_at')
    .execute()
  return rows.map((r) => r.knowledge_base_id)
}

/** The knowledge base accepted answers go to by default: the first one linked to an agent. */
export async function firstAgentKnowledgeBase(db: Db, organizationId: string): Promise<string | null> {
  const row = await db
    .selectFrom('agent_knowledge_bases')
    .select('knowledge_base_id')
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .orderBy('knowledge_base_id')
    .executeTakeFirst()
  return row?.knowledge_base_id ?? null
}

/** Links a knowledge base to every agent of the organization (the new "Answers from gaps" KB). */
export async function linkKnowledgeBaseToAllAgents(
  db: Db,
  organizationId: string,
  kbId: string,
): Promise<void> {
  const agents = await db
    .selectFrom('agents')
    .select('id')
    .where('organization_id', '=', organizationId)
    .execute()
  if (agents.length === 0) return
  await db
    .insertInto('agent_knowledge_bases')
    .values(agents.map((a) => ({ organization_id: organizationId, agent_id: a.id, knowledge_base_id: kbId })))
    .onConflict((oc) => oc.doNothing())
    .execute()
}

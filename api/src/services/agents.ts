import { getTemplate } from '@luneo/models'
import {
  agentKnowledgeBaseIds,
  countOwnKnowledgeBases,
  getPromptVersion,
  setAgentKnowledgeBases,
  type Db,
  agentHasConversations,
  deleteAgent,
  getAgent,
  getOrganization,
  insertAgent,
  listAgents,
  newId,
  updateAgent,
  type Agent,
  type PageRequest,
} from '@luneo/warehouse'
import { appendToOutbox, buildEvent } from '@luneo/ingest'
import type { z } from 'zod'
import type { Auth, Caller } from '../caller.js'
import { unpricedReason } from '../config.js'
import type { AppDeps } from '../context.js'
import { AppError, notFound } from '../errors.js'
import { iso } from '../schemas/common.js'
import type { Agent as AgentDto, AgentPatch, NewAgent } from '../schemas/resources.js'
import { audit } from './audit.js'
import { seedTemplateKnowledgeTx } from './knowledge.js'
import { onboardingKnowledgeBaseId } from './onboarding.js'

export const toAgentDto = async (db: Db, a: Agent): Promise<z.infer<typeof AgentDto>> => ({
  id: a.id,
  name: a.name,
  vertical: a.vertical,
  templateVersion: a.template_version,
  promptVersionId: a.prompt_version_id,
  knowledgeBaseIds: await agentKnowledgeBaseIds(db, a.organization_id, a.id),
  settings: a.settings,
  createdAt: iso(a.created_at),
  updatedAt: iso(a.updated_at),
})

/** Refuses ids that are not this organization's (404, like any foreign resource). */
async function checkRefs(
  trx: Db,
  auth: Auth,
  body: { knowledgeBaseIds?: string[] | undefined; promptVersionId?: string | null | undefined },
) {
  if (body.knowledgeBaseIds) {
    const unique = [...new Set(body.knowledgeBaseIds)]
    if ((await countOwnKnowledgeBases(trx, auth.organizationId, unique)) !== unique.length)
      throw notFound('Knowledge base')
  }
  if (body.promptVersionId && !(await getPromptVersion(trx, auth.organizationId, body.promptVersionId)))
    throw notFound('Prompt version')
}

/** An agent may only name a model with a price (ROI counts every token it spends). */
function checkModel(deps: AppDeps, settings: { model?: string | undefined } | undefined): void {
  const reason = settings?.model ? unpricedReason(settings.model, deps.config) : null
  if (reason)
    throw new AppError('validation_failed', reason, [{ path: 'body.settings.model', message: reason }])
}

export async function createAgent(deps: AppDeps, caller: Caller, body: z.infer<typeof NewAgent>) {
  const { auth } = caller
  const org = await getOrganization(deps.db, auth.organizationId)
  if (!org) throw notFound('Organization')
  const vertical = body.vertical ?? org.vertical
  const template = getTemplate(vertical)
  if (template.requiresCompliance && !org.compliance_approved) throw new AppError('compliance_required')
  checkModel(deps, body.settings)
  await checkRefs(deps.db, auth, body)
  let indexAfterCommit = async () => {}
  const dto = await deps.db.transaction().execute(async (trx) => {
    // No knowledge named: the template's starter documents, unconfirmed (shown to the owner, never
    // retrieved until confirmed: ADR 0019), and the owner's onboarding answers when there are some.
    let kbIds = body.knowledgeBaseIds
    if (!kbIds) {
      const seeded = await seedTemplateKnowledgeTx(
        deps,
        trx,
        caller,
        `${template.name} starter knowledge`,
        template.defaultKnowledge,
      )
      const answers = await onboardingKnowledgeBaseId(trx, auth.organizationId)
      kbIds = answers ? [seeded.kb.id, answers] : [seeded.kb.id]
      indexAfterCommit = seeded.indexAfterCommit
      deps.faultPoint?.('agent.after_knowledge')
    }
    const agent = await insertAgent(trx, {
      id: newId(),
      organization_id: auth.organizationId,
      name: body.name,
      vertical,
      template_version: String(template.version),
      prompt_version_id: body.promptVersionId ?? null,
      settings: body.settings ?? {},
    })
    await setAgentKnowledgeBases(trx, auth.organizationId, agent.id, kbIds)
    deps.faultPoint?.('agent.before_audit')
    await audit(trx, caller, 'agent.created', { type: 'agent', id: agent.id })
    const ctx = {
      organizationId: auth.organizationId,
      vertical,
      correlationId: caller.requestId,
      agentId: agent.id,
    }
    deps.faultPoint?.('agent.before_outbox')
    await appendToOutbox(trx, [buildEvent('agent.created', ctx, { name: agent.name, vertical })])
    return toAgentDto(trx, agent)
  })
  await indexAfterCommit()
  return dto
}

export async function readAgent(deps: AppDeps, auth: Auth, id: string) {
  const agent = await getAgent(deps.db, auth.organizationId, id)
  if (!agent) throw notFound('Agent')
  return toAgentDto(deps.db, agent)
}

export async function listOrgAgents(deps: AppDeps, auth: Auth, page: PageRequest) {
  const p = await listAgents(deps.db, auth.organizationId, page)
  return { nextCursor: p.nextCursor, items: await Promise.all(p.items.map((a) => toAgentDto(deps.db, a))) }
}

export async function patchAgent(
  deps: AppDeps,
  caller: Caller,
  id: string,
  body: z.infer<typeof AgentPatch>,
) {
  const { auth } = caller
  checkModel(deps, body.settings)
  return deps.db.transaction().execute(async (trx) => {
    await checkRefs(trx, auth, body)
    const agent = await updateAgent(trx, auth.organizationId, id, {
      name: body.name,
      prompt_version_id: body.promptVersionId,
      settings: body.settings,
    })
    if (!agent) throw notFound('Agent')
    if (body.knowledgeBaseIds)
      await setAgentKnowledgeBases(trx, auth.organizationId, id, body.knowledgeBaseIds)
    await audit(trx, caller, 'agent.updated', { type: 'agent', id }, { fields: Object.keys(body) })
    return toAgentDto(trx, agent)
  })
}

export async function removeAgent(deps: AppDeps, caller: Caller, id: string): Promise<void> {
  const { auth } = caller
  await deps.db.transaction().execute(async (trx) => {
    if (!(await getAgent(trx, auth.organizationId, id))) throw notFound('Agent')
    if (await agentHasConversations(trx, auth.organizationId, id)) {
      throw new AppError('conflict', 'The agent has conversations; their history keeps it')
    }
    await deleteAgent(trx, auth.organizationId, id)
    await audit(trx, caller, 'agent.deleted', { type: 'agent', id })
  })
}

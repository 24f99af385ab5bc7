import type { FastifyRequest } from 'fastify'
import {
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
import type { AppDeps, Auth } from '../context.js'
import { AppError, notFound } from '../errors.js'
import { iso } from '../schemas/common.js'
import type { Agent as AgentDto, AgentPatch, NewAgent } from '../schemas/resources.js'
import { audit } from './audit.js'

// Templates are versioned data (models/templates); an agent pins the version it was created on.
const TEMPLATE_VERSION = '1'

export const toAgentDto = (a: Agent): z.infer<typeof AgentDto> => ({
  id: a.id,
  name: a.name,
  vertical: a.vertical,
  templateVersion: a.template_version,
  promptVersionId: a.prompt_version_id,
  settings: a.settings,
  createdAt: iso(a.created_at),
  updatedAt: iso(a.updated_at),
})

export async function createAgent(
  deps: AppDeps,
  req: FastifyRequest,
  auth: Auth,
  body: z.infer<typeof NewAgent>,
) {
  return deps.db.transaction().execute(async (trx) => {
    const org = await getOrganization(trx, auth.organizationId)
    if (!org) throw notFound('Organization')
    const vertical = body.vertical ?? org.vertical
    if (vertical === 'medical' && !org.compliance_approved) throw new AppError('compliance_required')
    const agent = await insertAgent(trx, {
      id: newId(),
      organization_id: auth.organizationId,
      name: body.name,
      vertical,
      template_version: TEMPLATE_VERSION,
      prompt_version_id: body.promptVersionId ?? null,
      settings: body.settings ?? {},
    })
    await audit(trx, req, auth, 'agent.created', { type: 'agent', id: agent.id })
    await appendToOutbox(trx, [
      buildEvent(
        'agent.created',
        { organizationId: auth.organizationId, vertical, correlationId: req.id, agentId: agent.id },
        {
          name: agent.name,
          vertical,
        },
      ),
    ])
    return toAgentDto(agent)
  })
}

export async function readAgent(deps: AppDeps, auth: Auth, id: string) {
  const agent = await getAgent(deps.db, auth.organizationId, id)
  if (!agent) throw notFound('Agent')
  return toAgentDto(agent)
}

export async function listOrgAgents(deps: AppDeps, auth: Auth, page: PageRequest) {
  const p = await listAgents(deps.db, auth.organizationId, page)
  return { nextCursor: p.nextCursor, items: p.items.map(toAgentDto) }
}

export async function patchAgent(
  deps: AppDeps,
  req: FastifyRequest,
  auth: Auth,
  id: string,
  body: z.infer<typeof AgentPatch>,
) {
  return deps.db.transaction().execute(async (trx) => {
    const agent = await updateAgent(trx, auth.organizationId, id, {
      name: body.name,
      prompt_version_id: body.promptVersionId,
      settings: body.settings,
    })
    if (!agent) throw notFound('Agent')
    await audit(trx, req, auth, 'agent.updated', { type: 'agent', id }, { fields: Object.keys(body) })
    return toAgentDto(agent)
  })
}

export async function removeAgent(deps: AppDeps, req: FastifyRequest, auth: Auth, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await getAgent(trx, auth.organizationId, id))) throw notFound('Agent')
    if (await agentHasConversations(trx, auth.organizationId, id)) {
      throw new AppError('conflict', 'The agent has conversations; their history keeps it')
    }
    await deleteAgent(trx, auth.organizationId, id)
    await audit(trx, req, auth, 'agent.deleted', { type: 'agent', id })
  })
}

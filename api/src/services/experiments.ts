import {
  getAgent,
  getExperiment,
  getPromptVersion,
  insertExperiment,
  insertPromptVersion,
  listExperiments,
  listPromptVersions,
  listVariants,
  newId,
  runningExperimentOfAgent,
  setExperimentStatus,
  tuningStateOf,
  type Db,
  type Experiment,
  type PageRequest,
  type PromptVersion,
} from '@luneo/warehouse'
import { parseReplyStyle, promptVariables } from '@luneo/models'
import type { z } from 'zod'
import type { Auth, Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { AppError, notFound } from '../errors.js'
import { iso } from '../schemas/common.js'
import type { NewExperiment, NewPromptVersion } from '../schemas/engine.js'
import { audit } from './audit.js'

/** Variables a prompt template may use (filled by buildSystemPrompt). */
const KNOWN_VARS = new Set([
  'business_name',
  'tone_style',
  'greeting',
  'vocabulary',
  'avoid',
  'contact_name',
  'intent',
  'memory',
])

const toPromptDto = (p: PromptVersion) => ({
  id: p.id,
  name: p.name,
  version: p.version,
  template: p.template,
  style: parseReplyStyle(p.style) ?? null,
  createdAt: iso(p.created_at),
})

export async function createPromptVersion(
  deps: AppDeps,
  caller: Caller,
  body: z.infer<typeof NewPromptVersion>,
) {
  const { auth } = caller
  const unknown = promptVariables(body.template).filter((v) => !KNOWN_VARS.has(v))
  if (unknown.length) {
    throw new AppError(
      'validation_failed',
      'Unknown template variables',
      unknown.map((v) => ({
        path: 'body.template',
        message: `unknown variable {{${v}}}; use ${[...KNOWN_VARS].join(', ')}`,
      })),
    )
  }
  return deps.db.transaction().execute(async (trx) => {
    const p = await insertPromptVersion(trx, {
      id: newId(),
      organization_id: auth.organizationId,
      name: body.name,
      template: body.template,
      style: body.style ?? null,
    })
    await audit(
      trx,
      caller,
      'prompt_version.created',
      { type: 'prompt_version', id: p.id },
      { name: p.name, version: p.version },
    )
    return toPromptDto(p)
  })
}

export async function listPrompts(deps: AppDeps, auth: Auth, page: PageRequest) {
  const p = await listPromptVersions(deps.db, auth.organizationId, page)
  return { nextCursor: p.nextCursor, items: p.items.map(toPromptDto) }
}

export async function readPrompt(deps: AppDeps, auth: Auth, id: string) {
  const p = await getPromptVersion(deps.db, auth.organizationId, id)
  if (!p) throw notFound('Prompt version')
  return toPromptDto(p)
}

async function toExperimentDto(db: Db, auth: Auth, e: Experiment) {
  const [variants, weights] = await Promise.all([
    listVariants(db, auth.organizationId, e.id),
    tuningStateOf(db, auth.organizationId, e.id),
  ])
  const byVariant = new Map(weights.map((w) => [w.variant_id, w]))
  return {
    id: e.id,
    agentId: e.agent_id,
    name: e.name,
    status: e.status,
    winnerVariantId: e.winner_variant_id,
    variants: variants.map((v) => ({
      id: v.id,
      label: v.label,
      promptVersionId: v.prompt_version_id,
      weight: byVariant.get(v.id)?.weight ?? null,
      weightReason: byVariant.get(v.id)?.reason ?? null,
    })),
    createdAt: iso(e.created_at),
    updatedAt: iso(e.updated_at),
  }
}

/** Starts an experiment over prompt variants; until the pipelines decide, traffic is split equally. */
export async function createExperiment(deps: AppDeps, caller: Caller, body: z.infer<typeof NewExperiment>) {
  const { auth } = caller
  return deps.db.transaction().execute(async (trx) => {
    if (!(await getAgent(trx, auth.organizationId, body.agentId))) throw notFound('Agent')
    for (const v of body.variants)
      if (!(await getPromptVersion(trx, auth.organizationId, v.promptVersionId)))
        throw notFound('Prompt version')
    if (await runningExperimentOfAgent(trx, auth.organizationId, body.agentId))
      throw new AppError('conflict', 'The agent already runs an experiment; stop it first')
    const { experiment } = await insertExperiment(
      trx,
      { id: newId(), organization_id: auth.organizationId, agent_id: body.agentId, name: body.name },
      body.variants.map((v) => ({ id: newId(), prompt_version_id: v.promptVersionId, label: v.label })),
    )
    await audit(trx, caller, 'experiment.created', { type: 'experiment', id: experiment.id })
    return toExperimentDto(trx, auth, experiment)
  })
}

export async function readExperiment(deps: AppDeps, auth: Auth, id: string) {
  const e = await getExperiment(deps.db, auth.organizationId, id)
  if (!e) throw notFound('Experiment')
  return toExperimentDto(deps.db, auth, e)
}

export async function listOrgExperiments(deps: AppDeps, auth: Auth, page: PageRequest) {
  const p = await listExperiments(deps.db, auth.organizationId, page)
  return {
    nextCursor: p.nextCursor,
    items: await Promise.all(p.items.map((e) => toExperimentDto(deps.db, auth, e))),
  }
}

export async function stopExperiment(deps: AppDeps, caller: Caller, id: string) {
  const { auth } = caller
  return deps.db.transaction().execute(async (trx) => {
    const e = await setExperimentStatus(trx, auth.organizationId, id, 'stopped')
    if (!e) throw notFound('Experiment')
    await audit(trx, caller, 'experiment.stopped', { type: 'experiment', id })
    return toExperimentDto(trx, auth, e)
  })
}

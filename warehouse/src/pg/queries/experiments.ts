import { sql } from 'kysely'
import type { Experiment, ExperimentVariant } from '../schema.js'
import type { Db } from '../db.js'
import { paginate, type Page, type PageRequest } from './page.js'

export async function insertExperiment(
  db: Db,
  e: { id: string; organization_id: string; agent_id: string; name: string },
  variants: { id: string; prompt_version_id: string; label: string }[],
): Promise<{ experiment: Experiment; variants: ExperimentVariant[] }> {
  const experiment = await db.insertInto('experiments').values(e).returningAll().executeTakeFirstOrThrow()
  const rows = await db
    .insertInto('experiment_variants')
    .values(variants.map((v) => ({ ...v, organization_id: e.organization_id, experiment_id: e.id })))
    .returningAll()
    .execute()
  return { experiment, variants: rows }
}

export async function getExperiment(
  db: Db,
  organizationId: string,
  id: string,
): Promise<Experiment | undefined> {
  return db
    .selectFrom('experiments')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function listExperiments(
  db: Db,
  organizationId: string,
  page: PageRequest,
): Promise<Page<Experiment>> {
  return paginate(
    db.selectFrom('experiments').selectAll().where('organization_id', '=', organizationId),
    'id',
    page,
  )
}

export async function setExperimentStatus(
  db: Db,
  organizationId: string,
  id: string,
  status: 'running' | 'stopped' | 'completed',
  winner?: string | null,
) {
  return db
    .updateTable('experiments')
    .set({ status, updated_at: new Date(), ...(winner !== undefined ? { winner_variant_id: winner } : {}) })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export async function listVariants(
  db: Db,
  organizationId: string,
  experimentId: string,
): Promise<ExperimentVariant[]> {
  return db
    .selectFrom('experiment_variants')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('experiment_id', '=', experimentId)
    .orderBy('id')
    .execute()
}

export interface RunningVariant {
  experiment_id: string
  variant_id: string
  label: string
  template: string
  /** The prompt version's reply style (null = none). */
  style: Record<string, unknown> | null
  weight: number | null
}

/** The agent's running experiment, its variants with their prompt and current weight (null = no decision yet). */
export async function runningVariants(
  db: Db,
  organizationId: string,
  agentId: string,
): Promise<RunningVariant[]> {
  return db
    .selectFrom('experiments as e')
    .innerJoin('experiment_variants as v', 'v.experiment_id', 'e.id')
    .innerJoin('prompt_versions as p', 'p.id', 'v.prompt_version_id')
    .leftJoin('tuning_state as t', (j) =>
      j.onRef('t.variant_id', '=', 'v.id').onRef('t.experiment_id', '=', 'e.id'),
    )
    .select(['e.id as experiment_id', 'v.id as variant_id', 'v.label', 'p.template', 'p.style', 't.weight'])
    .where('e.organization_id', '=', organizationId)
    .where('e.agent_id', '=', agentId)
    .where('e.status', '=', 'running')
    .orderBy('e.id', 'desc')
    .orderBy('v.id')
    .execute()
    .then((rows) => rows.filter((r) => r.experiment_id === rows[0]?.experiment_id))
}

/** Running experiments of an organization (the variant scoring job scores each). */
export async function runningExperiments(db: Db, organizationId: string) {
  return db
    .selectFrom('experiments')
    .select(['id', 'agent_id'])
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'running')
    .orderBy('id')
    .execute()
}

/** Serves the winner after an experiment ends: the agent's prompt becomes the winner's prompt version. */
export async function promoteWinnerPrompt(
  db: Db,
  organizationId: string,
  agentId: string,
  variantId: string,
): Promise<void> {
  await db
    .updateTable('agents')
    .set({
      prompt_version_id: sql<string>`(SELECT prompt_version_id FROM experiment_variants WHERE id = ${variantId} AND organization_id = ${organizationId})`,
      updated_at: new Date(),
    })
    .where('organization_id', '=', organizationId)
    .where('id', '=', agentId)
    .execute()
}

/** The agent's running experiment, if any (an agent runs one at a time). */
export async function runningExperimentOfAgent(db: Db, organizationId: string, agentId: string) {
  return db
    .selectFrom('experiments')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('agent_id', '=', agentId)
    .where('status', '=', 'running')
    .executeTakeFirst()
}

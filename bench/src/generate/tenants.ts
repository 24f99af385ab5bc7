// The organizations of a generated data set: which vertical, how big, how much history, whether
// an experiment runs, and their Postgres rows (organization, owner, agent, prompt variants).
import {
  insertAgent,
  insertExperiment,
  insertMembership,
  insertOrganization,
  insertPromptVersion,
  insertUser,
  markEmailVerified,
  VERTICALS,
  type Db,
  type Vertical,
} from '@luneo/warehouse'
import { sql } from 'kysely'
import { seededUuid, type Rng } from '../rng.js'

const DAY = 24 * 3600 * 1000

export interface Tenant {
  index: number
  id: string
  name: string
  vertical: Vertical
  /** Owner's sign-in: `owner-<index>@bench.luneo.dev` with the generator's password. */
  email: string
  agentId: string
  /** A running prompt experiment on about half the tenants (2 or 3 variants). */
  experiment: { id: string; variantIds: string[] } | null
  /** Starter documents the grounded replies cite. */
  documentIds: string[]
  /** History: conversations start in [until − historyDays, until). 60–365 days. */
  historyDays: number
  /** Share of the data set: a few large tenants and a long tail, as a SaaS's customers are. */
  weight: number
}

// Verticals in proportion to how Luneo sells (DESIGN: e-commerce first), every template present.
const verticalMix: Vertical[] = [
  'ecommerce',
  'ecommerce',
  'ecommerce',
  'real_estate',
  'real_estate',
  'accounting',
  'accounting',
  'medical',
]

/** `count` tenants from the PRNG: the same seed plans the same tenants. */
export function planTenants(rng: Rng, count: number, until: Date): Tenant[] {
  const tenants: Tenant[] = []
  for (let i = 0; i < count; i++) {
    // Every vertical at least five times when count allows (vertical benchmarks publish at k = 5).
    const vertical = i < VERTICALS.length * 5 ? VERTICALS[i % VERTICALS.length]! : rng.pick(verticalMix)
    const created = until.getTime() - 400 * DAY
    const variants = rng.chance(0.5) ? rng.int(2, 3) : 0
    tenants.push({
      index: i,
      id: seededUuid(rng, created + i),
      name: `Bench ${vertical.replace('_', ' ')} ${String(i + 1).padStart(3, '0')}`,
      vertical,
      email: `owner-${String(i + 1).padStart(3, '0')}@bench.luneo.dev`,
      agentId: seededUuid(rng, created + i),
      experiment: variants
        ? {
            id: seededUuid(rng, created + i),
            variantIds: Array.from({ length: variants }, () => seededUuid(rng, created + i)),
          }
        : null,
      documentIds: Array.from({ length: 8 }, () => seededUuid(rng, created + i)),
      historyDays: rng.int(60, 365),
      // Zipf-like (s = 0.8) over a shuffled rank: at 200 tenants the largest holds ~10 %, the median ~0.25 %.
      weight: 0,
    })
  }
  const ranks = tenants.map((_, i) => i + 1)
  for (let i = ranks.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1))
    ;[ranks[i], ranks[j]] = [ranks[j]!, ranks[i]!]
  }
  tenants.forEach((t, i) => (t.weight = 1 / Math.pow(ranks[i]!, 0.8)))
  return tenants
}

/**
 * Writes each tenant's Postgres rows: organization, owner (verified email) and membership, agent,
 * and for tenants with an experiment its prompt versions and variants. `passwordHash` is the API's
 * hash of the owners' common password (bench only: one hash for every owner).
 */
export async function seedTenants(
  db: Db,
  tenants: Tenant[],
  passwordHash: string,
  until: Date,
): Promise<void> {
  for (const t of tenants) {
    await db.transaction().execute(async (trx) => {
      await insertOrganization(trx, { id: t.id, name: t.name, vertical: t.vertical })
      // Signed up when its history starts: vertical benchmarks count only organizations a month old.
      await sql`UPDATE organizations SET created_at = ${new Date(until.getTime() - t.historyDays * DAY)} WHERE id = ${t.id}`.execute(
        trx,
      )
      const user = await insertUser(trx, {
        id: seededUuidFrom(t.id, 1),
        email: t.email,
        name: `Owner ${t.index + 1}`,
        password_hash: passwordHash,
      })
      await markEmailVerified(trx, user.id, t.email)
      await insertMembership(trx, {
        id: seededUuidFrom(t.id, 2),
        organization_id: t.id,
        user_id: user.id,
        role: 'owner',
      })
      await insertAgent(trx, {
        id: t.agentId,
        organization_id: t.id,
        name: 'Support',
        vertical: t.vertical,
        template_version: '1',
        prompt_version_id: null,
        settings: {},
      })
      if (!t.experiment) return
      const prompts = []
      for (const [k] of t.experiment.variantIds.entries())
        prompts.push(
          await insertPromptVersion(trx, {
            id: seededUuidFrom(t.id, 10 + k),
            organization_id: t.id,
            name: `support-${'ABC'[k]}`,
            template: `You are the assistant of {{businessName}} (variant ${'ABC'[k]}). Answer from the context only.`,
          }),
        )
      await insertExperiment(
        trx,
        { id: t.experiment.id, organization_id: t.id, agent_id: t.agentId, name: 'tone' },
        prompts.map((p, k) => ({
          id: t.experiment!.variantIds[k]!,
          prompt_version_id: p.id,
          label: 'ABC'[k]!,
        })),
      )
    })
  }
}

/** A row id derived from the tenant's id (same seed → same rows), distinct per `n`. */
function seededUuidFrom(id: string, n: number): string {
  return `${id.slice(0, 24)}${n.toString(16).padStart(12, '0')}`
}

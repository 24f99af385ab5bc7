import { DLQ_RETENTION_MS, EVENTS_RETENTION_MS } from '@luneo/ingest'
import {
  getRetentionPolicy,
  RETENTION_LIMITS,
  setRetentionPolicy,
  type RetentionPolicy,
} from '@luneo/warehouse'
import type { Auth, Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { notFound } from '../errors.js'
import { audit } from '../services/audit.js'

const DAY_MS = 86_400_000

function toDto(deps: AppDeps, p: RetentionPolicy) {
  return {
    ...p,
    limits: RETENTION_LIMITS,
    platform: {
      outboxKeepHours: deps.config.outboxKeepHours,
      eventStreamDays: EVENTS_RETENTION_MS / DAY_MS,
      deadLetterDays: DLQ_RETENTION_MS / DAY_MS,
    },
  }
}

export async function readRetention(deps: AppDeps, auth: Auth) {
  const p = await getRetentionPolicy(deps.db, auth.organizationId)
  if (!p) throw notFound('Organization')
  return toDto(deps, p)
}

/** Sets the policy; the retention job applies it at its next daily run. Audited. */
export async function updateRetention(deps: AppDeps, caller: Caller, body: RetentionPolicy) {
  const { auth } = caller
  return deps.db.transaction().execute(async (trx) => {
    const before = await getRetentionPolicy(trx, auth.organizationId)
    const p = await setRetentionPolicy(trx, auth.organizationId, body)
    if (!p || !before) throw notFound('Organization')
    const target = { type: 'organization', id: auth.organizationId }
    await audit(trx, caller, 'organization.retention_updated', target, { before, after: p })
    return toDto(deps, p)
  })
}

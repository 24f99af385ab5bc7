import { insertAudit, newId, type AuditInput, type Db } from '@luneo/warehouse'
import { actorId, type Caller } from '../caller.js'

type Resource = { type: string; id: string | null }

/**
 * Records who changed what, in the same transaction as the change: an audited mutation can't
 * commit without its row, and a failed one leaves neither.
 */
export async function audit(
  trx: Db,
  caller: Pick<Caller, 'auth' | 'requestId'>,
  action: string,
  resource: Resource,
  details: Record<string, unknown> = {},
): Promise<void> {
  await insertAudit(trx, auditRow(caller, action, resource, details))
}

/** The row `audit` writes, for a statement that inserts it itself (openConversationRows). */
export function auditRow(
  caller: Pick<Caller, 'auth' | 'requestId'>,
  action: string,
  resource: Resource,
  details: Record<string, unknown> = {},
): AuditInput {
  const { auth } = caller
  const by = {
    organization_id: auth.organizationId,
    actor_type: auth.actor.type,
    actor_id: actorId(auth.actor),
    request_id: caller.requestId,
  }
  return row(by, action, resource, details)
}

/**
 * The same record for a user who has no session in the organization yet: one signing in, or one
 * following an emailed link.
 */
export async function auditAsUser(
  trx: Db,
  who: { organizationId: string; userId: string; requestId: string },
  action: string,
  resource: Resource,
  details: Record<string, unknown> = {},
): Promise<void> {
  const by = {
    organization_id: who.organizationId,
    actor_type: 'user' as const,
    actor_id: who.userId,
    request_id: who.requestId,
  }
  await insertAudit(trx, row(by, action, resource, details))
}

const row = (
  by: Pick<AuditInput, 'organization_id' | 'actor_type' | 'actor_id' | 'request_id'>,
  action: string,
  resource: Resource,
  details: Record<string, unknown>,
): AuditInput => ({
  id: newId(),
  ...by,
  action,
  resource_type: resource.type,
  resource_id: resource.id,
  details,
})

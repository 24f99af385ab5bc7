import { insertAudit, newId, type Db } from '@luneo/warehouse'
import { actorId, type Caller } from '../caller.js'

/**
 * Records who changed what, in the same transaction as the change: an audited mutation can't
 * commit without its row, and a failed one leaves neither.
 */
export async function audit(
  trx: Db,
  caller: Pick<Caller, 'auth' | 'requestId'>,
  action: string,
  resource: { type: string; id: string | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  const { auth } = caller
  await insertAudit(trx, {
    id: newId(),
    organization_id: auth.organizationId,
    actor_type: auth.actor.type,
    actor_id: actorId(auth.actor),
    action,
    resource_type: resource.type,
    resource_id: resource.id,
    request_id: caller.requestId,
    details,
  })
}

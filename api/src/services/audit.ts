import type { FastifyRequest } from 'fastify'
import { insertAudit, newId, type Db } from '@luneo/warehouse'
import type { Auth } from '../context.js'

/**
 * Records who changed what, in the same transaction as the change: an audited mutation can't
 * commit without its row, and a failed one leaves neither.
 */
export async function audit(
  trx: Db,
  req: FastifyRequest,
  auth: Auth,
  action: string,
  resource: { type: string; id: string | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  await insertAudit(trx, {
    id: newId(),
    organization_id: auth.organizationId,
    actor_type: auth.actor.type,
    actor_id: auth.actor.type === 'user' ? auth.actor.userId : auth.actor.keyId,
    action,
    resource_type: resource.type,
    resource_id: resource.id,
    request_id: req.id,
    details,
  })
}

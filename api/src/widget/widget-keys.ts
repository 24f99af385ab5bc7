import {
  getWidgetKey as getWidgetKeyRow,
  getAgent,
  insertWidgetKey,
  listWidgetKeys,
  newId,
  revokeWidgetKey,
  type PageRequest,
  type WidgetKey,
} from '@luneo/warehouse'
import type { z } from 'zod'
import type { Auth, Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { notFound } from '../errors.js'
import { randomToken } from '../auth/crypto.js'
import { iso } from '../schemas/common.js'
import { audit } from '../services/audit.js'
import type { NewWidgetKey } from './schemas.js'

const toDto = (k: WidgetKey) => ({
  id: k.id,
  agentId: k.agent_id,
  publicKey: k.public_key,
  allowedOrigins: k.allowed_origins,
  createdAt: iso(k.created_at),
})

/** A public key for the web widget of one of the organization's agents. */
export async function createWidgetKey(deps: AppDeps, caller: Caller, body: z.infer<typeof NewWidgetKey>) {
  const { auth } = caller
  return deps.db.transaction().execute(async (trx) => {
    if (!(await getAgent(trx, auth.organizationId, body.agentId))) throw notFound('Agent')
    const key = await insertWidgetKey(trx, {
      id: newId(),
      organization_id: auth.organizationId,
      agent_id: body.agentId,
      // Public by design (it sits in the host page); the allowed origins are what guard it.
      public_key: `pk_${randomToken(24)}`,
      allowed_origins: [...new Set(body.allowedOrigins)],
    })
    await audit(
      trx,
      caller,
      'widget_key.created',
      { type: 'widget_key', id: key.id },
      { agentId: key.agent_id, allowedOrigins: key.allowed_origins },
    )
    return toDto(key)
  })
}

export async function listOrgWidgetKeys(deps: AppDeps, auth: Auth, page: PageRequest) {
  const p = await listWidgetKeys(deps.db, auth.organizationId, page)
  return { nextCursor: p.nextCursor, items: p.items.map(toDto) }
}

export async function getWidgetKey(deps: AppDeps, auth: Auth, id: string) {
  const key = await getWidgetKeyRow(deps.db, auth.organizationId, id)
  if (!key) throw notFound('Widget key')
  return toDto(key)
}

/** Revokes a key: the widget on every page using it stops at the next request. */
export async function deleteWidgetKey(deps: AppDeps, caller: Caller, id: string) {
  const { auth } = caller
  await deps.db.transaction().execute(async (trx) => {
    if (!(await revokeWidgetKey(trx, auth.organizationId, id))) throw notFound('Widget key')
    await audit(trx, caller, 'widget_key.revoked', { type: 'widget_key', id })
  })
}

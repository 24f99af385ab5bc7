import {
  getWidgetKey as getWidgetKeyRow,
  getAgent,
  insertWidgetKey,
  listWidgetKeys,
  newId,
  revokeWidgetKey,
  setWidgetKeySpendCap,
  widgetKeysSpent,
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
import type { NewWidgetKey, WidgetKeyPatch } from './schemas.js'
import { utcDay } from './widget-spend.js'

const toDto = (k: WidgetKey, spent: Map<string, number>) => ({
  id: k.id,
  agentId: k.agent_id,
  publicKey: k.public_key,
  allowedOrigins: k.allowed_origins,
  dailySpendCapUsd: k.daily_spend_cap_usd,
  spentTodayUsd: spent.get(k.id) ?? 0,
  createdAt: iso(k.created_at),
})

const spentToday = (deps: AppDeps, keys: WidgetKey[]) =>
  widgetKeysSpent(
    deps.db,
    keys.map((k) => k.id),
    utcDay(Date.now()),
  )

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
      ...(body.dailySpendCapUsd !== undefined ? { daily_spend_cap_usd: body.dailySpendCapUsd } : {}),
    })
    await audit(
      trx,
      caller,
      'widget_key.created',
      { type: 'widget_key', id: key.id },
      {
        agentId: key.agent_id,
        allowedOrigins: key.allowed_origins,
        dailySpendCapUsd: key.daily_spend_cap_usd,
      },
    )
    return toDto(key, new Map())
  })
}

/** Sets a key's daily spending cap (the owner sees today's spend beside it). */
export async function patchWidgetKey(
  deps: AppDeps,
  caller: Caller,
  id: string,
  body: z.infer<typeof WidgetKeyPatch>,
) {
  const { auth } = caller
  const key = await deps.db.transaction().execute(async (trx) => {
    const k = await setWidgetKeySpendCap(trx, auth.organizationId, id, body.dailySpendCapUsd)
    if (!k) throw notFound('Widget key')
    await audit(trx, caller, 'widget_key.spend_cap_set', { type: 'widget_key', id }, body)
    return k
  })
  return toDto(key, await spentToday(deps, [key]))
}

export async function listOrgWidgetKeys(deps: AppDeps, auth: Auth, page: PageRequest) {
  const p = await listWidgetKeys(deps.db, auth.organizationId, page)
  const spent = await spentToday(deps, p.items)
  return { nextCursor: p.nextCursor, items: p.items.map((k) => toDto(k, spent)) }
}

export async function getWidgetKey(deps: AppDeps, auth: Auth, id: string) {
  const key = await getWidgetKeyRow(deps.db, auth.organizationId, id)
  if (!key) throw notFound('Widget key')
  return toDto(key, await spentToday(deps, [key]))
}

/** Revokes a key: the widget on every page using it stops at the next request. */
export async function deleteWidgetKey(deps: AppDeps, caller: Caller, id: string) {
  const { auth } = caller
  await deps.db.transaction().execute(async (trx) => {
    if (!(await revokeWidgetKey(trx, auth.organizationId, id))) throw notFound('Widget key')
    await audit(trx, caller, 'widget_key.revoked', { type: 'widget_key', id })
  })
}

import { getTemplate } from '@luneo/models'
import {
  getOrganization,
  insertIntentCorrection,
  listTasks,
  newId,
  setOrganizationWebhook,
  type PageRequest,
} from '@luneo/warehouse'
import type { z } from 'zod'
import type { Auth, Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { AppError } from '../errors.js'
import { randomToken } from '../auth/crypto.js'
import { iso } from '../schemas/common.js'
import type { IntentCorrection, WebhookSettings } from '../schemas/engine.js'
import { audit } from './audit.js'
import { isInternalDestination } from '../webhooks/destination.js'

/** Teaches the organization's classifier: the next message retrains it with this example. */
export async function addIntentCorrection(
  deps: AppDeps,
  caller: Caller,
  body: z.infer<typeof IntentCorrection>,
) {
  const { auth } = caller
  const template = getTemplate(auth.vertical)
  if (!template.intents.some((i) => i.name === body.intent)) {
    throw new AppError('validation_failed', undefined, [
      { path: 'body.intent', message: `one of ${template.intents.map((i) => i.name).join(', ')}` },
    ])
  }
  return deps.db.transaction().execute(async (trx) => {
    const id = newId()
    await insertIntentCorrection(trx, {
      id,
      organization_id: auth.organizationId,
      vertical: auth.vertical,
      text: body.text,
      intent: body.intent,
    })
    await audit(
      trx,
      caller,
      'intent_correction.created',
      { type: 'intent_correction', id },
      { intent: body.intent },
    )
    return { id, text: body.text, intent: body.intent }
  })
}

export async function listOrgTasks(deps: AppDeps, auth: Auth, page: PageRequest) {
  const p = await listTasks(deps.db, auth.organizationId, page)
  return {
    nextCursor: p.nextCursor,
    items: p.items.map((t) => ({
      id: t.id,
      conversationId: t.conversation_id,
      kind: t.kind,
      details: t.details,
      status: t.status,
      createdAt: iso(t.created_at),
    })),
  }
}

export async function readWebhook(deps: AppDeps, auth: Auth) {
  const org = await getOrganization(deps.db, auth.organizationId)
  return { url: org?.webhook_url ?? null }
}

/** Sets the escalation webhook; a new signing secret is generated and shown once. */
export async function putWebhook(deps: AppDeps, caller: Caller, body: z.infer<typeof WebhookSettings>) {
  const { auth } = caller
  // Production refuses internal destinations (SSRF); dev and tests deliver to local receivers.
  if (body.url && deps.config.env === 'production' && isInternalDestination(body.url)) {
    throw new AppError('validation_failed', 'Webhook URL points to an internal address', [
      { path: 'body.url', message: 'must be a public address' },
    ])
  }
  const secret = body.url ? `whsec_${randomToken(24)}` : null
  await deps.db.transaction().execute(async (trx) => {
    await setOrganizationWebhook(trx, auth.organizationId, body.url, secret)
    await audit(
      trx,
      caller,
      'webhook.updated',
      { type: 'organization', id: auth.organizationId },
      { url: body.url },
    )
  })
  return { url: body.url, secret }
}

import { newId, upsertContact, type Db } from '@luneo/warehouse'
import { isActionName, runAction, type ActionRun } from '../actions.js'
import type { InboundMessage } from '../normalize.js'
import type { Classified } from './classify.js'
import type { Loaded } from './load.js'
import type { Retrieved } from './retrieve.js'
import type { Silenced } from './compose.js'

export interface Acted {
  /** The contact after this turn (merged from what the customer told us), or null. */
  contactId: string | null
  actions: ActionRun[]
}

/**
 * Step 6, act, inside the turn's transaction: merge what the customer told us into one contact,
 * then run the intent's action with the tenant's scope — only when the template allows it, the
 * classifier is confident and the turn is not silenced. A failed action fails the action, not
 * the turn (the decision step hands off).
 */
export async function act(
  trx: Db,
  organizationId: string,
  turn: Loaded,
  inbound: InboundMessage,
  intent: Classified,
  found: Retrieved,
  silenced: Silenced,
  hadPii: boolean,
): Promise<Acted> {
  const learned = contactFrom(inbound, hadPii ? inbound.text : '')
  let contactId = turn.conversation.contact_id
  if (learned) contactId = (await upsertContact(trx, organizationId, newId(), learned)).id
  const name = turn.template.intents.find((i) => i.name === intent.intent)?.action
  const allowed =
    !silenced &&
    name !== undefined &&
    isActionName(name) &&
    turn.template.actions.includes(name) &&
    intent.confidence >= turn.template.escalation.confidenceBelow
  if (!allowed) return { contactId, actions: [] }
  const run = await runAction(name, inbound.text, {
    trx,
    organizationId,
    conversationId: turn.conversation.id,
    contactId,
    currency: turn.org.currency,
    // Inside the commit's transaction: the search reads Postgres through it (lexical-index.ts).
    search: (q) => found.search(q, trx),
  })
  return { contactId, actions: [run] }
}

/** Email/phone/name the customer gave, from the request or found in their words. */
export function contactFrom(
  inbound: InboundMessage,
  textWithPii: string,
): { email?: string; phone?: string; name?: string } | null {
  const email = inbound.contact?.email ?? /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.exec(textWithPii)?.[0]
  const phone = inbound.contact?.phone
  const name = inbound.contact?.name
  if (!email && !phone && !name) return null
  return {
    ...(email ? { email: email.toLowerCase() } : {}),
    ...(phone ? { phone } : {}),
    ...(name ? { name } : {}),
  }
}

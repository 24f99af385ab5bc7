import {
  ERASURE_STEPS,
  findContactByEmail,
  getContact,
  getErasureRequest,
  insertErasureRequest,
  newId,
  openErasureOfContact,
  type ErasureRequest,
} from '@luneo/warehouse'
import { actorId, type Auth, type Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { notFound } from '../errors.js'
import { iso, isoOrNull } from '../schemas/common.js'
import { audit } from '../services/audit.js'

/** What the API shows of a request: its steps and progress, counts only — never what was erased. */
export function toErasureDto(r: ErasureRequest) {
  return {
    id: r.id,
    contactId: r.contact_id,
    status: r.status,
    steps: ERASURE_STEPS.map((step) => ({ step, done: r.steps_done.includes(step) })),
    progress: r.steps_done.length / ERASURE_STEPS.length,
    counts: r.counts,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: iso(r.created_at),
    completedAt: isoOrNull(r.completed_at),
  }
}

/**
 * Asks for one contact's data to be erased everywhere. The request and its audit row are written
 * together; the work runs after, in the privacy worker (erasure-steps.ts), and the request says how
 * far it is. A second request for the same contact while one is under way returns that one.
 */
export async function requestErasure(deps: AppDeps, caller: Caller, contactId: string) {
  const { auth } = caller
  const r = await deps.db.transaction().execute(async (trx) => {
    if (!(await getContact(trx, auth.organizationId, contactId))) throw notFound('Contact')
    const open = await openErasureOfContact(trx, auth.organizationId, contactId)
    if (open) return open
    const created = await insertErasureRequest(trx, {
      id: newId(),
      organization_id: auth.organizationId,
      contact_id: contactId,
      requested_by: actorId(auth.actor),
    })
    // The contact's id only: the audit log must not keep what the erasure removes.
    await audit(
      trx,
      caller,
      'contact.erasure_requested',
      { type: 'contact', id: contactId },
      {
        erasureRequestId: created.id,
      },
    )
    return created
  })
  deps.privacy?.nudge()
  return toErasureDto(r)
}

/** The same, for the contact known by this email (how a person's request usually arrives). */
export async function requestErasureByEmail(deps: AppDeps, caller: Caller, email: string) {
  const contact = await findContactByEmail(deps.db, caller.auth.organizationId, email)
  if (!contact) throw notFound('Contact')
  return requestErasure(deps, caller, contact.id)
}

export async function readErasure(deps: AppDeps, auth: Auth, id: string) {
  const r = await getErasureRequest(deps.db, auth.organizationId, id)
  if (!r) throw notFound('Erasure request')
  return toErasureDto(r)
}

import {
  getOrganization,
  listAudit,
  organizationPrivacy,
  updateOrganizationPrivacy,
  updateOrganizationRoi,
  type Organization,
  type PageRequest,
} from '@luneo/warehouse'
import type { z } from 'zod'
import type { Auth, Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { notFound } from '../errors.js'
import { iso } from '../schemas/common.js'
import type { PrivacySettings, RoiPatch } from '../schemas/resources.js'
import { audit } from './audit.js'

const toOrgDto = (o: Organization) => ({
  id: o.id,
  name: o.name,
  vertical: o.vertical,
  complianceApproved: o.compliance_approved,
  roiAssumptions: {
    minutesPerConversation: o.minutes_per_conversation,
    hourlyCost: o.hourly_cost,
    currency: o.currency,
    subscriptionMonthly: o.subscription_monthly,
    resolutionWindowHours: o.resolution_window_hours,
    durableDays: o.durable_days,
  },
  privacy: organizationPrivacy(o),
  createdAt: iso(o.created_at),
})

export async function readOrganization(deps: AppDeps, auth: Auth) {
  const org = await getOrganization(deps.db, auth.organizationId)
  if (!org) throw notFound('Organization')
  return toOrgDto(org)
}

export async function patchRoiAssumptions(deps: AppDeps, caller: Caller, body: z.infer<typeof RoiPatch>) {
  const { auth } = caller
  return deps.db.transaction().execute(async (trx) => {
    const org = await updateOrganizationRoi(trx, auth.organizationId, {
      minutes_per_conversation: body.minutesPerConversation,
      hourly_cost: body.hourlyCost,
      currency: body.currency,
      subscription_monthly: body.subscriptionMonthly,
      resolution_window_hours: body.resolutionWindowHours,
      durable_days: body.durableDays,
    })
    if (!org) throw notFound('Organization')
    await audit(
      trx,
      caller,
      'organization.roi_assumptions_updated',
      { type: 'organization', id: org.id },
      body,
    )
    return toOrgDto(org)
  })
}

/** What may leave for a remote model; audited, as every change of who sees customer data. */
export async function patchPrivacy(deps: AppDeps, caller: Caller, body: z.infer<typeof PrivacySettings>) {
  const { auth } = caller
  return deps.db.transaction().execute(async (trx) => {
    const org = await updateOrganizationPrivacy(trx, auth.organizationId, body)
    if (!org) throw notFound('Organization')
    await audit(trx, caller, 'organization.privacy_updated', { type: 'organization', id: org.id }, body)
    return toOrgDto(org)
  })
}

export async function listAuditLog(deps: AppDeps, auth: Auth, page: PageRequest) {
  const p = await listAudit(deps.db, auth.organizationId, page)
  return {
    nextCursor: p.nextCursor,
    items: p.items.map((a) => ({
      id: a.id,
      actorType: a.actor_type,
      actorId: a.actor_id,
      action: a.action,
      resourceType: a.resource_type,
      resourceId: a.resource_id,
      requestId: a.request_id,
      details: a.details,
      createdAt: iso(a.created_at),
    })),
  }
}

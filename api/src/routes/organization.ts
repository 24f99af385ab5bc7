import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppDeps } from '../context.js'
import { authOf, callerOf } from '../plugins/auth.js'
import { PageQuery } from '../schemas/common.js'
import { AuditEntryPage, Organization, PrivacySettings, RoiPatch } from '../schemas/resources.js'
import * as org from '../services/organization.js'

export const organizationRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/organization',
    {
      schema: { operationId: 'getOrganization', tags: ['organization'], response: { 200: Organization } },
      config: { access: { role: 'viewer', scopes: ['conversations:write', 'analytics:read'] } },
    },
    async (req) => org.readOrganization(deps, authOf(req)),
  )
  app.patch(
    '/organization/roi-assumptions',
    {
      schema: {
        operationId: 'updateRoiAssumptions',
        tags: ['organization'],
        body: RoiPatch,
        response: { 200: Organization },
      },
      config: { access: { role: 'admin', scopes: ['admin'] } },
    },
    async (req) => org.patchRoiAssumptions(deps, callerOf(req), req.body),
  )
  app.put(
    '/organization/privacy',
    {
      schema: {
        operationId: 'updatePrivacySettings',
        tags: ['organization'],
        body: PrivacySettings,
        response: { 200: Organization },
      },
      config: { access: { role: 'admin', scopes: ['admin'] } },
    },
    async (req) => org.patchPrivacy(deps, callerOf(req), req.body),
  )
  app.get(
    '/audit-log',
    {
      schema: {
        operationId: 'listAuditLog',
        tags: ['organization'],
        querystring: PageQuery,
        response: { 200: AuditEntryPage },
      },
      config: { access: { role: 'admin', scopes: ['admin'] } },
    },
    async (req) => org.listAuditLog(deps, authOf(req), req.query),
  )
}

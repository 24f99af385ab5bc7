// Roles as the API ranks them (api/src/caller.ts ROLE_RANK): a role may do what every lower one may.
export type Role = 'viewer' | 'analyst' | 'admin' | 'owner'

const RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2, owner: 3 }

/** Whether `role` may open a screen that needs `min`. */
export const atLeast = (role: Role, min: Role) => RANK[role] >= RANK[min]

/** Every role, lowest first. */
export const ROLES = Object.keys(RANK) as Role[]

/** The roles someone with `role` may grant: the API refuses one above the inviter's own. */
export const grantable = (role: Role): Role[] => ROLES.filter((r) => atLeast(role, r))

/**
 * The least role each gated action needs, as the API's route table grants it (the OpenAPI document
 * does not carry `config.access`, so this copies it): a lower role sees no button for it.
 */
export const NEEDS = {
  /** GET /analytics/knowledge-gaps…: `read` in api/src/routes/gaps.ts. */
  readGaps: 'viewer',
  /** POST /analytics/knowledge-gaps/{id}/accept|reject: `write` in api/src/routes/gaps.ts. */
  reviewGaps: 'admin',
  /** GET /experiments…, GET /analytics/experiments/{id}: `read` in api/src/routes/experiments.ts. */
  readExperiments: 'viewer',
  /** POST /experiments/{id}/stop: `write` in api/src/routes/experiments.ts. */
  stopExperiment: 'admin',
  /** GET /organization: viewer in api/src/routes/organization.ts. */
  readOrganization: 'viewer',
  /** GET /agents, /knowledge-bases, /prompt-versions: `read` in routes/agents.ts, knowledge.ts, experiments.ts. */
  readAgents: 'viewer',
  /** POST, PATCH, DELETE /agents: `write` in api/src/routes/agents.ts. */
  writeAgents: 'admin',
  /** GET, POST /api-keys and DELETE /api-keys/{id}: `admin` in api/src/routes/access.ts (listing too). */
  manageApiKeys: 'admin',
  /** GET /members: viewer in api/src/routes/access.ts. */
  readMembers: 'viewer',
  /** POST /members: `admin` in api/src/routes/access.ts (and never a role above the inviter's). */
  inviteMembers: 'admin',
  /** GET and PUT /organization/webhook: `admin` in api/src/routes/engine-settings.ts (reading too). */
  manageWebhook: 'admin',
  /** GET, PUT, DELETE /organization/sso: `admin` in api/src/routes/sso.ts (reading too). */
  manageSso: 'admin',
  /** PUT /organization/privacy: `admin` in api/src/routes/organization.ts. */
  managePrivacy: 'admin',
  /** PUT /organization/retention (GET is viewer): api/src/routes/privacy.ts. */
  manageRetention: 'admin',
  /** POST /contacts/{id}/erasure, GET /erasure-requests/{id}: admin in api/src/routes/privacy.ts. */
  eraseContacts: 'admin',
  /** GET /knowledge-bases…, GET …/chunks: `read` in api/src/routes/knowledge.ts. */
  readKnowledge: 'viewer',
  /** POST/PUT/DELETE /knowledge-bases…, …/upload, …/confirm: `write` in api/src/routes/knowledge.ts. */
  writeKnowledge: 'admin',
  /** Every /widget-keys route: `admin` in api/src/routes/widget.ts. */
  manageWidgetKeys: 'admin',
  /** PUT /onboarding/answers (GET is viewer): api/src/routes/onboarding.ts. */
  answerOnboarding: 'admin',
  /** PATCH /organization/roi-assumptions: api/src/routes/organization.ts. */
  editRoi: 'admin',
  /** POST /agents: `write` in api/src/routes/agents.ts. */
  createAgent: 'admin',
  /** POST /conversations, POST /conversations/{id}/messages: `write` in api/src/routes/messages.ts. */
  converse: 'analyst',
  /** PATCH /organization/roi-assumptions: admin in api/src/routes/organization.ts. */
  editAssumptions: 'admin',
} as const satisfies Record<string, Role>

// Roles as the API ranks them (api/src/caller.ts ROLE_RANK): a role may do what every lower one may.
export type Role = 'viewer' | 'analyst' | 'admin' | 'owner'

const RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2, owner: 3 }

/** Whether `role` may open a screen that needs `min`. */
export const atLeast = (role: Role, min: Role) => RANK[role] >= RANK[min]

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
} as const satisfies Record<string, Role>

// Roles as the API ranks them (api/src/caller.ts ROLE_RANK): a role may do what every lower one may.
export type Role = 'viewer' | 'analyst' | 'admin' | 'owner'

const RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2, owner: 3 }

/** Whether `role` may open a screen that needs `min`. */
export const atLeast = (role: Role, min: Role) => RANK[role] >= RANK[min]

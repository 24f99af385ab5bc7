import { sql, type Kysely } from 'kysely'
import type { Database, Membership, Role, User, Vertical } from '../schema.js'
import { paginate, type Page, type PageRequest } from './page.js'

export async function insertUser(
  db: Kysely<Database>,
  user: { id: string; email: string; name?: string | null; password_hash: string },
): Promise<User> {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow()
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst()
}

export async function getUser(db: Kysely<Database>, userId: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst()
}

export async function insertMembership(
  db: Kysely<Database>,
  m: { id: string; organization_id: string; user_id: string; role: Role },
): Promise<Membership> {
  return db.insertInto('memberships').values(m).returningAll().executeTakeFirstOrThrow()
}

export async function getMembership(
  db: Kysely<Database>,
  organizationId: string,
  userId: string,
): Promise<Membership | undefined> {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
}

/** The user's first organization (oldest membership): where a login lands. */
export async function firstMembershipOfUser(
  db: Kysely<Database>,
  userId: string,
): Promise<Membership | undefined> {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'asc')
    .limit(1)
    .executeTakeFirst()
}

/** One organization a user belongs to, with their role there: what the organization switcher lists. */
export interface MembershipOfUser {
  organization_id: string
  name: string
  vertical: Vertical
  role: Role
  created_at: Date
}

/** Every organization the user is a member of, oldest membership first (where a login lands). */
export async function listMembershipsOfUser(
  db: Kysely<Database>,
  userId: string,
): Promise<MembershipOfUser[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['m.organization_id', 'o.name', 'o.vertical', 'm.role', 'm.created_at'])
    .where('m.user_id', '=', userId)
    .orderBy('m.created_at', 'asc')
    .orderBy('m.organization_id', 'asc')
    .execute()
}

export interface MemberRow {
  id: string
  user_id: string
  email: string
  name: string | null
  role: Role
  created_at: Date
}

export async function listMembers(
  db: Kysely<Database>,
  organizationId: string,
  page: PageRequest,
): Promise<Page<MemberRow>> {
  const q = db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.id', 'm.user_id', 'u.email', 'u.name', 'm.role', 'm.created_at'])
    .where('m.organization_id', '=', organizationId)
  return paginate(q, 'm.id', page)
}

export async function insertInvitation(
  db: Kysely<Database>,
  inv: {
    id: string
    organization_id: string
    email: string
    role: Role
    token_hash: string
    invited_by: string | null
    expires_at: Date
    emailed_only: boolean
  },
) {
  return db.insertInto('invitations').values(inv).returningAll().executeTakeFirstOrThrow()
}

/** Finds an open invitation by its token hash and marks it accepted in the same statement. */
export async function consumeInvitation(db: Kysely<Database>, tokenHash: string) {
  return db
    .updateTable('invitations')
    .set({ accepted_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returningAll()
    .executeTakeFirst()
}

export interface PendingInvitationRow {
  id: string
  email: string
  role: Role
  invited_by: string | null
  expires_at: Date
  created_at: Date
}

/** The organization's invitations not yet accepted (expired ones too: they can be sent again). */
export async function listPendingInvitations(
  db: Kysely<Database>,
  organizationId: string,
  page: PageRequest,
): Promise<Page<PendingInvitationRow>> {
  const q = db
    .selectFrom('invitations')
    .select(['id', 'email', 'role', 'invited_by', 'expires_at', 'created_at'])
    .where('organization_id', '=', organizationId)
    .where('accepted_at', 'is', null)
  return paginate(q, 'id', page)
}

/**
 * Gives a pending invitation a new token and expiry (a resend): the link sent before stops
 * working. Undefined when the organization has no such pending invitation.
 */
export async function renewInvitation(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
  next: { token_hash: string; expires_at: Date; emailed_only: boolean },
): Promise<PendingInvitationRow | undefined> {
  return db
    .updateTable('invitations')
    .set(next)
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .returning(['id', 'email', 'role', 'invited_by', 'expires_at', 'created_at'])
    .executeTakeFirst()
}

/** Cancels a pending invitation (its link stops working). False when there was none to cancel. */
export async function deletePendingInvitation(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom('invitations')
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}

/** One membership of the organization, by its id (the members API's id). */
export async function getMembershipById(
  db: Kysely<Database>,
  organizationId: string,
  membershipId: string,
): Promise<{ id: string; user_id: string; role: Role } | undefined> {
  return db
    .selectFrom('memberships')
    .select(['id', 'user_id', 'role'])
    .where('organization_id', '=', organizationId)
    .where('id', '=', membershipId)
    .forUpdate()
    .executeTakeFirst()
}

export async function setMembershipRole(
  db: Kysely<Database>,
  organizationId: string,
  membershipId: string,
  role: Role,
): Promise<void> {
  await db
    .updateTable('memberships')
    .set({ role })
    .where('organization_id', '=', organizationId)
    .where('id', '=', membershipId)
    .execute()
}

export async function deleteMembership(
  db: Kysely<Database>,
  organizationId: string,
  membershipId: string,
): Promise<void> {
  await db
    .deleteFrom('memberships')
    .where('organization_id', '=', organizationId)
    .where('id', '=', membershipId)
    .execute()
}

/** How many owners the organization has (it must always keep one). */
export async function countOwners(db: Kysely<Database>, organizationId: string): Promise<number> {
  const r = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('organization_id', '=', organizationId)
    .where('role', '=', 'owner')
    .executeTakeFirst()
  return Number(r?.n ?? 0)
}

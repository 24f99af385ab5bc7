import { describe, expect, it } from 'vitest'
import type { components } from '../api/schema'
import { atLeast, grantable, NEEDS, type Role } from './roles'

describe('atLeast', () => {
  it('ranks roles as the API does', () => {
    expect(atLeast('owner', 'admin')).toBe(true)
    expect(atLeast('admin', 'admin')).toBe(true)
    expect(atLeast('analyst', 'admin')).toBe(false)
    expect(atLeast('viewer', 'viewer')).toBe(true)
    expect(atLeast('viewer', 'analyst')).toBe(false)
  })

  it('knows every role the API sends (a new one fails to compile here)', () => {
    const all: Record<components['schemas']['Me']['role'], true> = {
      owner: true,
      admin: true,
      analyst: true,
      viewer: true,
    }
    expect(Object.keys(all).every((r) => atLeast(r as Role, 'viewer'))).toBe(true)
  })
})

describe('NEEDS', () => {
  it('lets admins and owners review knowledge gaps, and every role read them', () => {
    const roles: Role[] = ['viewer', 'analyst', 'admin', 'owner']
    expect(roles.filter((r) => atLeast(r, NEEDS.reviewGaps))).toEqual(['admin', 'owner'])
    expect(roles.every((r) => atLeast(r, NEEDS.readGaps))).toBe(true)
  })
})

describe('settings', () => {
  const roles: Role[] = ['viewer', 'analyst', 'admin', 'owner']
  const who = (min: Role) => roles.filter((r) => atLeast(r, min))

  it('gates settings writes as the API’s route table does', () => {
    expect(who(NEEDS.writeAgents)).toEqual(['admin', 'owner'])
    expect(who(NEEDS.manageApiKeys)).toEqual(['admin', 'owner'])
    expect(who(NEEDS.inviteMembers)).toEqual(['admin', 'owner'])
    expect(who(NEEDS.manageWebhook)).toEqual(['admin', 'owner'])
    expect(who(NEEDS.readAgents)).toEqual(roles)
    expect(who(NEEDS.readMembers)).toEqual(roles)
  })

  it('offers an inviter only the roles up to their own', () => {
    expect(grantable('admin')).toEqual(['viewer', 'analyst', 'admin'])
    expect(grantable('owner')).toEqual(roles)
    expect(grantable('viewer')).toEqual(['viewer'])
  })
})

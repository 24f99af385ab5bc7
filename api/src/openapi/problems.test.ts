import { describe, expect, it } from 'vitest'
import { problemCodes, problemResponses, type RouteFacts } from './problems.js'

const viewer = { role: 'viewer', scopes: ['analytics:read'] } as const
const route = (facts: Partial<RouteFacts>): RouteFacts => ({
  method: 'GET',
  access: viewer,
  validates: false,
  addressesResource: false,
  declared: [],
  ...facts,
})

describe('problemCodes', () => {
  it('a public read can only be rate-limited', () => {
    expect(problemCodes(route({ access: 'public' }))).toEqual(['rate_limited'])
  })

  it('a role read of one resource: validation, sign-in, role, not found', () => {
    expect(problemCodes(route({ validates: true, addressesResource: true }))).toEqual([
      'validation_failed',
      'unauthenticated',
      'forbidden',
      'not_found',
      'rate_limited',
    ])
  })

  it('a role write adds the body’s problems and the browser rules (Origin, CSRF)', () => {
    expect(problemCodes(route({ method: 'POST', validates: true }))).toEqual([
      'validation_failed',
      'invalid_json',
      'unsupported_media_type',
      'body_too_large',
      'unauthenticated',
      'csrf_failed',
      'origin_forbidden',
      'forbidden',
      'rate_limited',
    ])
  })

  it('a delete has the browser rules but no body', () => {
    const codes = problemCodes(route({ method: 'DELETE', addressesResource: true, validates: true }))
    expect(codes).toEqual(expect.arrayContaining(['csrf_failed', 'origin_forbidden', 'not_found']))
    expect(codes).not.toContain('body_too_large')
  })

  it('`authenticated` needs a caller but no role; a public write still checks the Origin', () => {
    expect(problemCodes(route({ access: 'authenticated' }))).toEqual(['unauthenticated', 'rate_limited'])
    expect(problemCodes(route({ access: 'public', method: 'POST' }))).toContain('origin_forbidden')
  })

  it('an operator route: its token, or no such route when none is configured; no browser rules', () => {
    const codes = problemCodes(route({ access: 'operator', method: 'POST', validates: true }))
    expect(codes).toEqual(expect.arrayContaining(['unauthenticated', 'route_not_found']))
    expect(codes).not.toContain('csrf_failed')
    expect(codes).not.toContain('forbidden')
  })

  it('adds what the route declares, once, in catalogue order', () => {
    expect(problemCodes(route({ access: 'public', declared: ['email_taken', 'rate_limited'] }))).toEqual([
      'email_taken',
      'rate_limited',
    ])
  })
})

describe('problemResponses', () => {
  it('groups codes by status, each response listing its codes and referring to Problem', () => {
    const r = problemResponses(['validation_failed', 'invalid_json', 'forbidden'])
    expect(Object.keys(r)).toEqual(['400', '403'])
    expect(r['400']).toEqual({
      description:
        '`validation_failed`: The request is not valid; `invalid_json`: The body is not valid JSON',
      'x-codes': ['validation_failed', 'invalid_json'],
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    })
  })
})

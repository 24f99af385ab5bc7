import { describe, expect, it } from 'vitest'
import { invitationEmail, linkTo, verificationEmail } from './messages.js'

describe('the emails', () => {
  it('links carry the token in the fragment, URL-encoded', () => {
    expect(linkTo('https://app.example', 'verify-email', 'a/b+c')).toBe(
      'https://app.example/verify-email#a%2Fb%2Bc',
    )
  })

  it('the verification email holds its link on a line of its own', () => {
    const m = verificationEmail('a@example.com', 'https://app.example/verify-email#tok')
    expect(m.to).toBe('a@example.com')
    expect(m.text.split('\n')).toContain('https://app.example/verify-email#tok')
  })

  it('an organization name with line breaks stays on the subject line (no header injection)', () => {
    const m = invitationEmail('b@example.com', {
      organizationName: 'Acme\r\nBcc: victim@example.com',
      role: 'viewer',
      inviter: 'owner@example.com',
      link: 'https://app.example/accept-invite#tok',
      expiresAt: new Date('2026-12-07T05:00:00Z'),
    })
    expect(m.subject).toBe('You are invited to join Acme Bcc: victim@example.com on Luneo')
    expect(m.subject).not.toMatch(/[\r\n]/)
    expect(m.text).toContain(
      'owner@example.com invited you to join Acme Bcc: victim@example.com on Luneo as viewer.',
    )
    expect(m.text).toContain('until Mon, 07 Dec 2026 05:00:00 GMT')
  })
})

// The emails Luneo sends, as plain text. Pure: the services queue what these return.
import type { MailMessage } from './mailer.js'

/** A verification link's life: long enough for tomorrow's inbox, short enough to go stale. */
export const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000

// A header is one line: an organization name with a line break must not add headers or a body.
// \p{Cc}: every control character (CR, LF, tab, NUL…).
const oneLine = (s: string) => s.replace(/\p{Cc}+/gu, ' ').trim()

/**
 * Links carry the token in the fragment: the browser never sends it to a server, so it stays out
 * of access logs and Referer headers; the dashboard's page posts it.
 */
export const linkTo = (dashboardUrl: string, page: 'verify-email' | 'accept-invite', token: string) =>
  `${dashboardUrl}/${page}#${encodeURIComponent(token)}`

export function verificationEmail(to: string, link: string): MailMessage {
  return {
    to,
    subject: 'Confirm your email address for Luneo',
    text: [
      'Confirm that this address is yours by opening this link:',
      '',
      link,
      '',
      'The link works once, for 24 hours. If you did not sign up for Luneo, ignore this email:',
      'nothing happens without the link.',
    ].join('\n'),
  }
}

export function invitationEmail(
  to: string,
  invite: { organizationName: string; role: string; inviter: string | null; link: string; expiresAt: Date },
): MailMessage {
  const org = oneLine(invite.organizationName)
  const who = invite.inviter ? `${oneLine(invite.inviter)} invited you` : 'You are invited'
  return {
    to,
    subject: `You are invited to join ${org} on Luneo`,
    text: [
      `${who} to join ${org} on Luneo as ${invite.role}.`,
      '',
      'Accept the invitation here:',
      '',
      invite.link,
      '',
      `The link works once, until ${invite.expiresAt.toUTCString()}. If you already have a Luneo`,
      'account with this address, accept with its password; otherwise choose one there.',
      'If you did not expect this invitation, ignore this email.',
    ].join('\n'),
  }
}

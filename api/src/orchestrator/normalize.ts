import type { Channel } from '@luneo/warehouse'

/** One internal message shape, whatever channel it came from. */
export interface InboundMessage {
  /** Unset: the conversation's channel. */
  channel?: Channel | undefined
  text: string
  contact?: { email?: string | undefined; phone?: string | undefined; name?: string | undefined } | undefined
  /** Channel-specific id (e.g. the email Message-ID) kept for threading and dedup. */
  externalId?: string | undefined
}

const MAX_CHARS = 4_000

/** Collapses whitespace, strips control characters, and bounds the length the engine sees. */
export function cleanText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- stripping control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
      .replace(/[ \t]+/g, ' ')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
      .slice(0, MAX_CHARS)
  )
}

/** API and widget send `{text, contact?}` as JSON; without a channel the conversation's own is used. */
export function fromApi(
  body: { text: string; channel?: Channel | undefined; contact?: InboundMessage['contact'] },
  channel?: Channel,
): InboundMessage {
  return { channel: body.channel ?? channel, text: cleanText(body.text), contact: body.contact }
}

/**
 * Email-in: keep only the new part of the message (drop quoted history and signatures), so the
 * engine answers what the customer just wrote, not the whole thread.
 */
export function fromEmail(email: {
  from: string
  fromName?: string | undefined
  subject?: string | undefined
  text: string
  messageId?: string | undefined
}): InboundMessage {
  const lines = email.text.replace(/\r\n/g, '\n').split('\n')
  const kept: string[] = []
  for (const line of lines) {
    if (
      /^>/.test(line) ||
      /^On .+ wrote:$/.test(line.trim()) ||
      /^-- ?$/.test(line) ||
      /^-{2,}\s*Original Message/i.test(line)
    )
      break
    kept.push(line)
  }
  const body = cleanText(kept.join('\n'))
  const subject =
    email.subject && !/^(re|fwd?):/i.test(email.subject.trim()) ? `${email.subject.trim()}\n` : ''
  return {
    channel: 'email',
    text: cleanText(`${subject}${body}`),
    contact: { email: email.from.toLowerCase(), name: email.fromName },
    externalId: email.messageId,
  }
}

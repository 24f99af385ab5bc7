import { appendFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createTransport } from 'nodemailer'

/** One plain-text message, as the outbox holds it. */
export interface MailMessage {
  to: string
  subject: string
  text: string
}

/** Where outgoing mail goes: an SMTP server, or (no server configured) a log file. */
export interface Mailer {
  readonly via: 'smtp' | 'log'
  send(message: MailMessage): Promise<void>
  close(): void
}

/** Sends through the SMTP server at `url` (nodemailer; `smtps://` for implicit TLS). */
export function createSmtpMailer(url: string, from: string, timeoutMs = 10_000): Mailer {
  // One slow server must not hold a dispatcher slot forever: the attempt fails and is retried.
  const transport = createTransport({
    url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  })
  return {
    via: 'smtp',
    async send(m) {
      await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text })
    },
    close: () => transport.close(),
  }
}

/**
 * Appends each message to `file` (dev without SMTP: `make dev` writes <data dir>/emails.log) and
 * says so in one line on stderr, so the developer finds the link without a mail server.
 */
export function createLogMailer(file: string, from: string, say: (line: string) => void): Mailer {
  return {
    via: 'log',
    async send(m) {
      await mkdir(dirname(file), { recursive: true })
      const block = [
        `Date: ${new Date().toISOString()}`,
        `From: ${from}`,
        `To: ${m.to}`,
        `Subject: ${m.subject}`,
        '',
        m.text,
        '',
        '-'.repeat(72),
        '',
      ].join('\n')
      await appendFile(file, block, { mode: 0o600 })
      say(`email: "${m.subject}" to ${m.to} written to ${file} (no SMTP_URL set)`)
    },
    close: () => undefined,
  }
}

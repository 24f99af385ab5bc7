// A real SMTP server for the browser tests (the API's tests have their own copy in
// api/src/testing: the dashboard imports nothing from the API's sources).
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** A message as the SMTP server received it, parsed from its raw MIME. */
export interface ReceivedMail {
  /** The From address (without its display name). */
  from: string
  to: string[]
  subject: string
  text: string
  raw: string
}

/** A real SMTP server on a free loopback port that keeps what it receives. */
export interface SmtpInbox {
  url: string
  messages: ReceivedMail[]
  /** The next message to `address` not yet taken (waits for it to arrive). */
  next(address: string, timeoutMs?: number): Promise<ReceivedMail>
  close(): Promise<void>
}

/**
 * Starts `smtp-server` on 127.0.0.1:0. Recipients in `refuse` are answered 450 (a transient
 * refusal, as a greylisting server does), to play retries.
 */
export async function startSmtpInbox(refuse: Set<string> = new Set()): Promise<SmtpInbox> {
  const messages: ReceivedMail[] = []
  const taken = new Set<ReceivedMail>()
  const waiters = new Set<() => void>()
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: nodemailer would try STARTTLS if offered, with no certificate here.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (refuse.has(address.address.toLowerCase())) {
        const err = Object.assign(new Error('Try again later'), { responseCode: 450 })
        return cb(err)
      }
      cb()
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        simpleParser(raw)
          .then((parsed) => {
            messages.push({
              from: parsed.from?.value[0]?.address ?? '',
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              raw,
            })
            for (const w of waiters) w()
            cb()
          })
          .catch((err: Error) => cb(err))
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    next(address, timeoutMs = 10_000) {
      const to = address.toLowerCase()
      const find = () => messages.find((m) => !taken.has(m) && m.to.includes(to))
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = find()
          if (!m) return
          taken.add(m)
          waiters.delete(check)
          clearTimeout(timer)
          resolve(m)
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no email to ${to} within ${timeoutMs} ms (received: ${messages.length})`))
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** The first link in a message's text that opens `page` of the dashboard, and the token in it. */
export function linkIn(
  mail: ReceivedMail,
  page: 'verify-email' | 'accept-invite',
): { url: string; token: string } {
  const m = new RegExp(`https?://\\S+/${page}#(\\S+)`).exec(mail.text)
  if (!m) throw new Error(`no ${page} link in: ${mail.text}`)
  return { url: m[0], token: decodeURIComponent(m[1]!) }
}

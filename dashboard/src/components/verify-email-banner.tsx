'use client'
// Until the signed-in user follows the link emailed at sign-up, every screen asks them to, with a
// way to get the email again. Benchmarks count an organization only once its owner is verified.
import { useState } from 'react'
import { ErrorNote } from '@/components/states'
import { api, unwrap, type Schemas } from '@/lib/api'
import { useMe } from '@/lib/session'
import { useWrite } from '@/lib/use-write'

export function VerifyEmailBanner() {
  const me = useMe()
  const resend = useWrite()
  const [sent, setSent] = useState<Schemas['VerificationEmailSent']>()
  if (me.user.emailVerified) return null
  async function again() {
    let answer: Schemas['VerificationEmailSent'] | undefined
    const ok = await resend.run(async () => {
      answer = unwrap(await api.POST('/api/v1/auth/verification-email'))
    })
    if (ok) setSent(answer)
  }
  return (
    <section
      // Named without the word "email": the sign-up and invite forms' "Email" field keeps its label alone.
      aria-label="Unverified address"
      data-testid="verify-email-banner"
      className="border-b border-amber-200 bg-amber-50"
    >
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4 py-3 text-sm text-amber-950 sm:px-6">
        <p className="flex-1">
          <strong className="font-semibold">Verify your email.</strong> Open the link we sent to{' '}
          <span className="font-medium">{me.user.email}</span> (it works for 24 hours). Until then your
          organization does not count in the vertical benchmarks.
        </p>
        <button
          type="button"
          onClick={again}
          disabled={resend.busy}
          className="rounded border border-amber-400 bg-white px-3 py-1 font-medium hover:bg-amber-100 disabled:opacity-60"
        >
          {resend.busy ? 'Sending…' : 'Email me a new link'}
        </button>
        {sent ? (
          <p role="status" data-testid="verification-sent" className="w-full">
            {sent.delivery === 'smtp'
              ? `A new link is on its way to ${sent.email}.`
              : `No mail server is configured: the email to ${sent.email} was written to the server's emails.log.`}
          </p>
        ) : null}
        {resend.error ? (
          <div className="w-full">
            <ErrorNote error={resend.error} />
          </div>
        ) : null}
      </div>
    </section>
  )
}

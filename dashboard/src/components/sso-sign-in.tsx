'use client'
// "Sign in with SSO": the work email picks the organization's identity provider (its domain); the
// API answers the provider's address and the browser goes there. Back from the provider, the API
// either signs in (and sends the browser to /) or sends it here with `?sso=<code>`.
import { useState, type FormEvent } from 'react'
import { text } from '@/components/auth-form'
import { api, toApiError, unwrap } from '@/lib/api'

/** What the sign-in page says for each refusal the callback sends back (codes: api/src/errors.ts). */
export const SSO_REFUSALS: Record<string, string> = {
  sso_failed:
    'Sign-in with your identity provider did not complete (it expired or was interrupted). Try again.',
  sso_email_unverified:
    'Your identity provider has not verified your email address, so it cannot sign you in here.',
  sso_no_access:
    'Your identity provider signed you in, but this account has no access to the organization: ask an admin to invite you.',
  sso_provider_unreachable: 'Your organization’s identity provider did not answer. Try again in a moment.',
  sso_required: 'Your organization requires sign-in through its identity provider.',
}

export function SsoSignIn({ refusal }: { refusal: string | null }) {
  const [error, setError] = useState<string | null>(refusal ? (SSO_REFUSALS[refusal] ?? refusal) : null)
  const [busy, setBusy] = useState(false)
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const email = text(new FormData(e.currentTarget), 'sso-email').trim()
    setBusy(true)
    setError(null)
    try {
      const out = unwrap(await api.POST('/api/v1/auth/sso/start', { body: { email } }))
      window.location.assign(out.authorizationUrl)
    } catch (err) {
      setError(toApiError(err).message)
      setBusy(false)
    }
  }
  return (
    <form onSubmit={submit} aria-labelledby="sso-heading" className="flex flex-col gap-3">
      <h2 id="sso-heading" className="text-base font-semibold text-gray-900">
        Sign in with SSO
      </h2>
      <label className="flex flex-col gap-1 font-medium text-gray-800">
        Work email
        <input
          name="sso-email"
          type="email"
          required
          autoComplete="email"
          className="rounded border border-gray-300 px-3 py-2 font-normal"
        />
      </label>
      {error ? (
        <p role="alert" data-testid="sso-error" className="text-rose-800">
          {error}
        </p>
      ) : null}
      <button
        disabled={busy}
        className="rounded border border-blue-700 px-4 py-2 font-medium text-blue-800 disabled:opacity-60"
      >
        {busy ? 'Opening your identity provider…' : 'Continue with SSO'}
      </button>
    </form>
  )
}

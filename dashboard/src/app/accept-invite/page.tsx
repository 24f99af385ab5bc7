'use client'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useEffect, useState } from 'react'
import { AuthForm, Field, text } from '@/components/auth-form'
import { api, unwrap } from '@/lib/api'

/**
 * Accepting an invitation: the token comes in the link's fragment (`/accept-invite#<token>`),
 * which browsers never send to a server, so it stays out of access logs and Referer headers.
 */
export default function AcceptInvite() {
  const router = useRouter()
  const [token, setToken] = useState('')
  useEffect(() => {
    const read = () => setToken(decodeURIComponent(window.location.hash.slice(1)))
    read()
    // A second invitation's link opened in the same tab changes only the fragment: no reload.
    window.addEventListener('hashchange', read)
    return () => window.removeEventListener('hashchange', read)
  }, [])
  return (
    <AuthForm
      title="Join your team on Luneo"
      submit="Accept invitation"
      onSubmit={async (f) => {
        const name = text(f, 'name').trim()
        unwrap(
          await api.POST('/api/v1/auth/accept-invite', {
            body: {
              token: text(f, 'token').trim(),
              password: text(f, 'password'),
              ...(name ? { name } : {}),
            },
          }),
        )
        router.replace('/overview')
      }}
      footer={
        <>
          Already have an account?{' '}
          <Link className="text-blue-800 underline" href="/sign-in">
            Sign in
          </Link>{' '}
          (an admin adds an existing account without an invitation).
        </>
      }
    >
      <label className="flex flex-col gap-1 text-sm font-medium text-gray-800">
        Invitation token
        <input
          name="token"
          required
          minLength={10}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          className="rounded border border-gray-300 px-3 py-2 font-normal"
        />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium text-gray-800">
        Your name (optional)
        <input
          name="name"
          autoComplete="name"
          maxLength={120}
          className="rounded border border-gray-300 px-3 py-2 font-normal"
        />
      </label>
      <Field
        name="password"
        label="Password (10 characters or more)"
        type="password"
        autoComplete="new-password"
        minLength={10}
      />
    </AuthForm>
  )
}

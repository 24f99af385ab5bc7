'use client'
import Link from 'next/link'
import { useRouter, useSearchParams } from 'next/navigation'
import { Suspense } from 'react'
import { AuthForm, Field, text } from '@/components/auth-form'
import { SsoSignIn } from '@/components/sso-sign-in'
import { api, unwrap } from '@/lib/api'

/** Only paths of this site: `next` comes from the URL and must not send anyone elsewhere. */
const safeNext = (next: string | null) =>
  next && next.startsWith('/') && !next.startsWith('//') ? next : '/overview'

function SignIn() {
  const router = useRouter()
  const params = useSearchParams()
  const next = safeNext(params.get('next'))
  return (
    <AuthForm
      title="Sign in to Luneo"
      submit="Sign in"
      onSubmit={async (f) => {
        unwrap(
          await api.POST('/api/v1/auth/login', {
            body: { email: text(f, 'email'), password: text(f, 'password') },
          }),
        )
        router.replace(next)
      }}
      footer={
        <div className="flex flex-col gap-6">
          <p>
            No account yet?{' '}
            <Link className="text-blue-800 underline" href="/sign-up">
              Create an organization
            </Link>
          </p>
          <div className="border-t border-gray-200 pt-6">
            <SsoSignIn refusal={params.get('sso')} />
          </div>
        </div>
      }
    >
      <Field name="email" label="Email" type="email" autoComplete="email" />
      <Field name="password" label="Password" type="password" autoComplete="current-password" />
    </AuthForm>
  )
}

export default function Page() {
  return (
    <Suspense>
      <SignIn />
    </Suspense>
  )
}

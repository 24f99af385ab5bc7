'use client'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { AuthForm, Field, text } from '@/components/auth-form'
import { api, unwrap, type Schemas } from '@/lib/api'

type Vertical = Schemas['SignUp']['vertical']
const VERTICALS: { value: Vertical; label: string }[] = [
  { value: 'ecommerce', label: 'E-commerce' },
  { value: 'real_estate', label: 'Real estate' },
  { value: 'accounting', label: 'Accounting' },
  { value: 'medical', label: 'Medical' },
]

export default function SignUp() {
  const router = useRouter()
  return (
    <AuthForm
      title="Create your organization"
      submit="Create organization"
      onSubmit={async (f) => {
        unwrap(
          await api.POST('/api/v1/auth/signup', {
            body: {
              email: text(f, 'email'),
              password: text(f, 'password'),
              organizationName: text(f, 'organizationName'),
              vertical: text(f, 'vertical') as Vertical,
            },
          }),
        )
        router.replace('/onboarding')
      }}
      footer={
        <>
          Already have an account?{' '}
          <Link className="text-blue-800 underline" href="/sign-in">
            Sign in
          </Link>
        </>
      }
    >
      <Field name="organizationName" label="Organization name" autoComplete="organization" />
      <label className="flex flex-col gap-1 text-sm font-medium text-gray-800">
        Vertical
        <select name="vertical" className="rounded border border-gray-300 px-3 py-2 font-normal">
          {VERTICALS.map((v) => (
            <option key={v.value} value={v.value}>
              {v.label}
            </option>
          ))}
        </select>
      </label>
      <Field name="email" label="Email" type="email" autoComplete="email" />
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

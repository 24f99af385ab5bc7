'use client'
// Sign-in and sign-up share one form shell: fields, a submit button, and the API's `detail` on failure.
import type { FormEvent, ReactNode } from 'react'
import { useState } from 'react'
import { toApiError } from '@/lib/api'

export function AuthForm(p: {
  title: string
  submit: string
  onSubmit: (form: FormData) => Promise<void>
  children: ReactNode
  footer: ReactNode
}) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  async function handle(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await p.onSubmit(new FormData(e.currentTarget))
    } catch (err) {
      setError(toApiError(err).message)
      setBusy(false)
    }
  }
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-lg border border-gray-200 bg-white p-8 shadow-sm">
      <h1 className="mb-6 text-2xl font-semibold">{p.title}</h1>
      <form onSubmit={handle} className="flex flex-col gap-4">
        {p.children}
        {error ? (
          <p role="alert" data-testid="error" className="text-sm text-rose-800">
            {error}
          </p>
        ) : null}
        <button
          disabled={busy}
          className="rounded bg-blue-700 px-4 py-2 font-medium text-white disabled:opacity-60"
        >
          {busy ? 'Please wait…' : p.submit}
        </button>
      </form>
      <div className="mt-6 text-sm text-gray-700">{p.footer}</div>
    </main>
  )
}

export function Field(p: {
  name: string
  label: string
  type?: string
  autoComplete?: string
  minLength?: number
}) {
  return (
    <label className="flex flex-col gap-1 text-sm font-medium text-gray-800">
      {p.label}
      <input
        name={p.name}
        type={p.type ?? 'text'}
        required
        autoComplete={p.autoComplete}
        minLength={p.minLength}
        className="rounded border border-gray-300 px-3 py-2 font-normal"
      />
    </label>
  )
}

/** A text field's value (a file input would give a File: not here). */
export const text = (f: FormData, name: string) => {
  const v = f.get(name)
  return typeof v === 'string' ? v : ''
}

// The three states every screen shows besides its data: loading, empty and error.
import type { ApiError } from '@/lib/api'

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" aria-live="polite" className="animate-pulse p-4 text-gray-600">
      Loading {what}…
    </p>
  )
}

/** `testId`: a screen with a second empty state beside its main one names it apart. */
export function Empty({ children, testId = 'empty' }: { children: React.ReactNode; testId?: string }) {
  return (
    <p
      data-testid={testId}
      className="rounded border border-dashed border-gray-300 p-6 text-center text-gray-700"
    >
      {children}
    </p>
  )
}

/** The API's problem+json `detail`, as the API wrote it. */
export function ErrorNote({ error }: { error: ApiError }) {
  return (
    <p
      role="alert"
      data-testid="error"
      className="rounded border border-rose-200 bg-rose-50 p-4 text-rose-900"
    >
      {error.message}
      {error.fields.length > 0 ? (
        <span className="mt-1 block text-sm">
          {error.fields.map((f) => `${f.path.replace(/^body\./, '')}: ${f.message}`).join('; ')}
        </span>
      ) : null}
    </p>
  )
}

'use client'
// "Data as of N seconds ago" on every analytics screen: the API says how far the pipelines read
// (the oldest job watermark) and the newest event ClickHouse holds; the age keeps counting here
// from the server's own clock reading, so a skewed browser clock does not change it.
import { useEffect, useState } from 'react'
import { api, unwrap } from '@/lib/api'
import { fmtAge, fmtDateTime } from '@/lib/format'
import { useApi } from '@/lib/use-api'

/** Re-reads the mark whenever `refreshKey` changes (a new period, a saved assumption). */
export function FreshnessMark({ refreshKey = '' }: { refreshKey?: string }) {
  const f = useApi(`freshness/${refreshKey}`, async () => ({
    ...unwrap(await api.GET('/api/v1/analytics/freshness')),
    readAt: Date.now(),
  }))
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  const box = 'text-xs text-gray-700'
  if (f.state === 'loading')
    return (
      <p className={box} data-testid="freshness" data-state="loading">
        Checking how fresh the data is…
      </p>
    )
  if (f.state === 'error')
    return (
      <p className={box} data-testid="freshness" data-state="error">
        Freshness unknown: {f.error.message}
      </p>
    )
  const { asOf, ageSeconds, newestEventAt, readAt } = f.data
  if (asOf === null || ageSeconds === null)
    return (
      <p className={box} data-testid="freshness" data-state="empty">
        Not computed yet: the analytics have not run for this organization (they run every few seconds once
        conversations arrive).
      </p>
    )
  const age = ageSeconds + Math.max(0, Math.floor((now - readAt) / 1000))
  return (
    <p
      className={box}
      data-testid="freshness"
      data-state="ok"
      data-as-of={asOf}
      title={`Analytics include events up to ${fmtDateTime(asOf)}${newestEventAt ? `; newest event received: ${fmtDateTime(newestEventAt)}` : ''}`}
    >
      <span className="inline-block h-2 w-2 rounded-full bg-emerald-600 align-middle" aria-hidden="true" />{' '}
      Data as of <time dateTime={asOf}>{fmtAge(age)}</time>
      {newestEventAt && Date.parse(newestEventAt) > Date.parse(asOf) ? (
        <> · newer events are waiting for the next run</>
      ) : null}
    </p>
  )
}

'use client'
import { useEffect, useState } from 'react'
import { toApiError, type ApiError } from './api'

/** What a screen renders from: each state has its own look (loading, error, data). */
export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: ApiError } | { state: 'ok'; data: T }

/** Runs `load` whenever `key` changes (the URL's filters); a stale answer never overwrites a newer one. */
export function useApi<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [value, setValue] = useState<Loaded<T>>({ state: 'loading' })
  useEffect(() => {
    let current = true
    setValue({ state: 'loading' })
    load().then(
      (data) => current && setValue({ state: 'ok', data }),
      (err: unknown) => current && setValue({ state: 'error', error: toApiError(err) }),
    )
    return () => {
      current = false
    }
    // `load` closes over the values `key` names; re-running on its identity would loop.
  }, [key])
  return value
}

'use client'
import { useState } from 'react'
import { toApiError, type ApiError } from './api'

/** A write's progress: busy while it runs, the API's problem (its `detail`) when it fails. */
export function useWrite() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError>()
  /** Runs `write`; resolves true when it succeeded (the caller then reloads what it changed). */
  async function run(write: () => Promise<unknown>): Promise<boolean> {
    setBusy(true)
    setError(undefined)
    try {
      await write()
      return true
    } catch (e) {
      setError(toApiError(e))
      return false
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, run }
}

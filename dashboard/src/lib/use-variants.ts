'use client'
import { api, unwrap } from './api'
import { useApi } from './use-api'

/** Prompt variants by id, named "experiment · label" (an empty id: served by no variant). */
export function useVariantName(): (id: string) => string {
  const experiments = useApi('experiments', async () =>
    unwrap(await api.GET('/api/v1/experiments', { params: { query: { limit: 100 } } })),
  )
  const list = experiments.state === 'ok' ? experiments.data.items : []
  return (id: string) => {
    if (!id) return 'no variant'
    for (const e of list) {
      const v = e.variants.find((x) => x.id === id)
      if (v) return `${e.name} · ${v.label}`
    }
    return id.slice(0, 8)
  }
}

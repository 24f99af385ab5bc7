'use client'
import { api, unwrap } from './api'
import { useApi } from './use-api'

/** The organization's agents by id, to name them (an unknown id shows its first 8 characters). */
export function useAgentName(): (id: string) => string {
  const agents = useApi('agents', async () =>
    unwrap(await api.GET('/api/v1/agents', { params: { query: { limit: 100 } } })),
  )
  const list = agents.state === 'ok' ? agents.data.items : []
  return (id: string) => list.find((a) => a.id === id)?.name ?? id.slice(0, 8)
}

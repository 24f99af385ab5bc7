'use client'
// Wizard step 4: a widget key for the new agent with the origins allowed to embed it, then its snippet.
import { useState } from 'react'
import { api, unwrap, type Schemas } from '@/lib/api'
import { useApi } from '@/lib/use-api'
import { ErrorNote, Loading } from './states'
import { WidgetKeyForm } from './widget-key-form'
import { WidgetSnippet } from './widget-snippet'

type WidgetKey = Schemas['WidgetKey']

export function OnboardingWidgetStep({
  agent,
  mayWrite,
}: {
  agent: { id: string; name: string }
  mayWrite: boolean
}) {
  const keys = useApi(`widget-keys-${agent.id}`, async () =>
    mayWrite ? unwrap(await api.GET('/api/v1/widget-keys', { params: { query: { limit: 200 } } })).items : [],
  )
  const [created, setCreated] = useState<WidgetKey>()
  if (!mayWrite) return <p className="text-sm text-gray-700">Widget keys need the admin role or higher.</p>
  if (keys.state === 'loading') return <Loading what="widget keys" />
  if (keys.state === 'error') return <ErrorNote error={keys.error} />
  const key = created ?? keys.data.find((k) => k.agentId === agent.id)
  return (
    <div className="flex flex-col gap-4">
      {key ? (
        <WidgetSnippet publicKey={key.publicKey} allowedOrigins={key.allowedOrigins} />
      ) : (
        <WidgetKeyForm agents={[agent]} onCreated={setCreated} />
      )}
    </div>
  )
}

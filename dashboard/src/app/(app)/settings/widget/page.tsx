'use client'
// Settings → Widget: the organization's widget keys (which agent, which origins may embed it),
// one opened with its snippet (?key=…), a new key, and revoking one. Every /widget-keys route
// needs the admin role (api/src/routes/widget.ts), so the whole screen does.
import Link from 'next/link'
import { useRouter, useSearchParams } from 'next/navigation'
import { Suspense, useState } from 'react'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { WidgetKeyForm } from '@/components/widget-key-form'
import { WidgetSnippet } from '@/components/widget-snippet'
import { WidgetSpendCap } from '@/components/widget-spend-cap'
import { api, ApiError, unwrap, type Schemas } from '@/lib/api'
import { fmtDateTime } from '@/lib/format'
import { NEEDS } from '@/lib/roles'
import { RoleGate } from '@/lib/session'
import { useApi } from '@/lib/use-api'

type WidgetKey = Schemas['WidgetKey']

const keyHref = (id: string | null) => (id ? `/settings/widget?key=${id}` : '/settings/widget')

function KeyRow({
  k,
  agent,
  open,
  onRevoked,
  onChanged,
}: {
  k: WidgetKey
  agent: string
  open: boolean
  onRevoked: () => void
  onChanged: () => void
}) {
  const [armed, setArmed] = useState(false)
  const [error, setError] = useState<ApiError>()
  async function revoke() {
    const r = await api.DELETE('/api/v1/widget-keys/{id}', { params: { path: { id: k.id } } })
    if (r.response.ok) return onRevoked()
    try {
      unwrap(r)
    } catch (err) {
      if (err instanceof ApiError) setError(err)
    }
  }
  return (
    <li className="flex flex-col gap-2 p-3" data-testid="widget-key">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <code className="text-sm">{k.publicKey}</code>
        <span className="text-sm text-gray-800">for {agent}</span>
        <span className="text-xs text-gray-700">created {fmtDateTime(k.createdAt)}</span>
      </div>
      <p className="text-sm text-gray-800">Allowed origins: {k.allowedOrigins.join(', ')}</p>
      <WidgetSpendCap k={k} onSaved={onChanged} />
      <div className="flex flex-wrap gap-3 text-sm">
        <Link className="text-blue-800 underline" href={keyHref(open ? null : k.id)} aria-expanded={open}>
          {open ? 'Hide snippet' : 'Show snippet'}
        </Link>
        <button onClick={() => (armed ? revoke() : setArmed(true))} className="text-rose-800 underline">
          {armed ? 'Really revoke? Sites using it stop showing the widget' : 'Revoke'}
        </button>
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {open ? <WidgetSnippet publicKey={k.publicKey} allowedOrigins={k.allowedOrigins} /> : null}
    </li>
  )
}

function Widget() {
  const open = useSearchParams().get('key')
  const router = useRouter()
  const [version, setVersion] = useState(0)
  const data = useApi(`widget-keys-${version}`, async () => ({
    keys: unwrap(await api.GET('/api/v1/widget-keys', { params: { query: { limit: 200 } } })).items,
    agents: unwrap(await api.GET('/api/v1/agents', { params: { query: { limit: 200 } } })).items,
  }))
  let body: React.ReactNode
  if (data.state === 'loading') body = <Loading what="widget keys" />
  else if (data.state === 'error') body = <ErrorNote error={data.error} />
  else {
    const { keys, agents } = data.data
    const name = (id: string) => agents.find((a) => a.id === id)?.name ?? 'a deleted agent'
    body = (
      <>
        {keys.length === 0 ? (
          <Empty>No widget key yet: create one to put the chat on your site.</Empty>
        ) : (
          <ul
            className="flex flex-col divide-y divide-gray-200 rounded border border-gray-200 bg-white"
            data-testid="widget-keys"
          >
            {keys.map((k) => (
              <KeyRow
                key={k.id}
                k={k}
                agent={name(k.agentId)}
                open={open === k.id}
                onRevoked={() => {
                  router.replace(keyHref(null))
                  setVersion((v) => v + 1)
                }}
                onChanged={() => setVersion((v) => v + 1)}
              />
            ))}
          </ul>
        )}
        <section aria-labelledby="new-key" className="rounded border border-gray-200 bg-white p-4">
          <h2 id="new-key" className="mb-2 text-lg font-semibold">
            New widget key
          </h2>
          {agents.length === 0 ? (
            <Empty>
              A widget key belongs to an agent, and there is none yet:{' '}
              <Link className="underline" href="/onboarding">
                set one up
              </Link>
              .
            </Empty>
          ) : (
            <WidgetKeyForm
              agents={agents}
              onCreated={(k) => {
                router.push(keyHref(k.id))
                setVersion((v) => v + 1)
              }}
            />
          )}
        </section>
      </>
    )
  }
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Website widget</h1>
      {body}
    </div>
  )
}

export default function Page() {
  return (
    <RoleGate min={NEEDS.manageWidgetKeys}>
      <Suspense fallback={<Loading what="widget keys" />}>
        <Widget />
      </Suspense>
    </RoleGate>
  )
}

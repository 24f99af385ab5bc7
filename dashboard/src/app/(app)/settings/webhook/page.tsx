'use client'
import { useState, type FormEvent } from 'react'
import { ShownOnce } from '@/components/settings/shown-once'
import { ErrorNote, Loading } from '@/components/states'
import { api, unwrap } from '@/lib/api'
import { NEEDS } from '@/lib/roles'
import { RoleGate, useMe } from '@/lib/session'
import { useApi } from '@/lib/use-api'
import { useWrite } from '@/lib/use-write'

function WebhookForm({
  url,
  onSaved,
}: {
  url: string | null
  onSaved: (url: string | null, secret: string | null) => void
}) {
  const [value, setValue] = useState(url ?? '')
  const save = useWrite()
  async function put(next: string | null) {
    let out: { url: string | null; secret?: string | null } | undefined
    const ok = await save.run(async () => {
      out = unwrap(await api.PUT('/api/v1/organization/webhook', { body: { url: next } }))
    })
    if (ok && out) onSaved(out.url, out.secret ?? null)
  }
  function submit(e: FormEvent) {
    e.preventDefault()
    void put(value.trim() || null)
  }
  return (
    <form onSubmit={submit} className="flex flex-col gap-3 rounded border border-gray-200 bg-white p-4">
      <label className="flex flex-col gap-1 text-sm font-medium">
        Webhook URL (https or http)
        <input
          type="url"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder="https://hooks.example.com/luneo"
          className="rounded border border-gray-300 px-2 py-1 font-normal"
        />
      </label>
      {save.error ? <ErrorNote error={save.error} /> : null}
      <div className="flex flex-wrap gap-3">
        <button
          disabled={save.busy || !value.trim()}
          className="rounded bg-blue-700 px-3 py-2 text-sm font-medium text-white disabled:opacity-60"
        >
          {save.busy ? 'Saving…' : 'Save webhook'}
        </button>
        {url ? (
          <button
            type="button"
            disabled={save.busy}
            onClick={() => void put(null)}
            className="rounded border border-rose-300 px-3 py-2 text-sm text-rose-800 disabled:opacity-60"
          >
            Remove webhook
          </button>
        ) : null}
      </div>
      <p className="text-sm text-gray-700">
        Saving makes a new signing secret (the old one stops working): it is shown once.
      </p>
    </form>
  )
}

function Webhook() {
  const me = useMe()
  const [version, setVersion] = useState(0)
  const [secret, setSecret] = useState<string>()
  const loaded = useApi(`webhook:${me.organization.id}:${version}`, async () =>
    unwrap(await api.GET('/api/v1/organization/webhook')),
  )
  return (
    <>
      {secret ? (
        <ShownOnce label="The webhook’s signing secret" secret={secret} onDone={() => setSecret(undefined)} />
      ) : null}
      {loaded.state === 'loading' ? <Loading what="the webhook" /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} /> : null}
      {loaded.state === 'ok' ? (
        <>
          <dl className="grid gap-x-4 gap-y-1 rounded border border-gray-200 bg-white p-4 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="text-gray-700">Sends to</dt>
            <dd data-testid="webhook-url" className="break-all">
              {loaded.data.url ?? 'no webhook: escalations are not sent anywhere'}
            </dd>
            <dt className="text-gray-700">Events</dt>
            <dd>
              <code>conversation.escalated</code> — the agent handed a conversation to a person (the only
              event the API sends)
            </dd>
          </dl>
          <WebhookForm
            key={loaded.data.url ?? ''}
            url={loaded.data.url}
            onSaved={(_, s) => {
              setSecret(s ?? undefined)
              setVersion((v) => v + 1)
            }}
          />
        </>
      ) : null}
    </>
  )
}

/** The escalation webhook: admins and owners read and set it (the API lets no lower role read it). */
export default function WebhookSettings() {
  return (
    <>
      <h2 className="text-lg font-semibold">Webhook</h2>
      <RoleGate min={NEEDS.manageWebhook}>
        <Webhook />
      </RoleGate>
    </>
  )
}

'use client'
import { useState, type FormEvent } from 'react'
import { ShownOnce } from '@/components/settings/shown-once'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { allPages } from '@/lib/all-pages'
import { api, succeeded, unwrap, type Schemas } from '@/lib/api'
import { fmtDateTime } from '@/lib/format'
import { NEEDS } from '@/lib/roles'
import { RoleGate, useMe } from '@/lib/session'
import { useApi } from '@/lib/use-api'
import { useWrite } from '@/lib/use-write'

type ApiKey = Schemas['ApiKey']
type Scope = ApiKey['scopes'][number]

const SCOPES: { value: Scope; label: string }[] = [
  { value: 'conversations:write', label: 'conversations:write — send conversations and messages' },
  { value: 'analytics:read', label: 'analytics:read — read the analytics' },
  { value: 'admin', label: 'admin — everything an admin may do' },
]

function KeyRow({
  k,
  onRevoked,
  onRotated,
}: {
  k: ApiKey
  onRevoked: () => void
  onRotated: (k: Schemas['CreatedApiKey']) => void
}) {
  const [confirming, setConfirming] = useState(false)
  const revoke = useWrite()
  const rotate = useWrite()
  async function rotateIt() {
    let created: Schemas['CreatedApiKey'] | undefined
    const params = { path: { id: k.id } }
    const ok = await rotate.run(async () => {
      // The old secret keeps working 24 h while clients move to the new one.
      created = unwrap(await api.POST('/api/v1/api-keys/{id}/rotate', { params, body: { graceHours: 24 } }))
    })
    if (ok && created) onRotated(created)
  }
  async function go() {
    const params = { path: { id: k.id } }
    if (await revoke.run(async () => succeeded(await api.DELETE('/api/v1/api-keys/{id}', { params }))))
      onRevoked()
  }
  return (
    <tr data-id={k.id} className="border-t border-gray-200 align-top">
      <td className="p-2 font-medium">{k.name}</td>
      <td className="p-2">
        <code>{k.prefix}…</code>
      </td>
      <td className="p-2">{k.scopes.join(', ')}</td>
      <td className="p-2">{fmtDateTime(k.createdAt)}</td>
      <td className="p-2">{k.lastUsedAt ? fmtDateTime(k.lastUsedAt) : 'never'}</td>
      <td className="p-2" data-testid="key-ends">
        {k.endsAt ? fmtDateTime(k.endsAt) : 'never'}
      </td>
      <td className="flex flex-col gap-2 p-2">
        <button
          onClick={rotateIt}
          disabled={rotate.busy}
          className="rounded border border-gray-300 px-2 py-1 text-sm hover:bg-gray-100 disabled:opacity-60"
        >
          Rotate <span className="sr-only">{k.name}</span>
        </button>
        {rotate.error ? <ErrorNote error={rotate.error} /> : null}
        {confirming ? (
          <div className="flex flex-wrap gap-2">
            <button
              onClick={go}
              disabled={revoke.busy}
              className="rounded bg-rose-700 px-2 py-1 text-sm font-medium text-white disabled:opacity-60"
            >
              Revoke {k.name} now
            </button>
            <button
              onClick={() => setConfirming(false)}
              className="rounded border border-gray-300 px-2 py-1 text-sm"
            >
              Keep it
            </button>
          </div>
        ) : (
          <button
            onClick={() => setConfirming(true)}
            className="rounded border border-rose-300 px-2 py-1 text-sm text-rose-800"
          >
            Revoke <span className="sr-only">{k.name}</span>
          </button>
        )}
        {revoke.error ? <ErrorNote error={revoke.error} /> : null}
      </td>
    </tr>
  )
}

function NewKey({ onCreated }: { onCreated: (k: Schemas['CreatedApiKey']) => void }) {
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<Scope[]>(['analytics:read'])
  const [days, setDays] = useState('90')
  const create = useWrite()
  async function submit(e: FormEvent) {
    e.preventDefault()
    let created: Schemas['CreatedApiKey'] | undefined
    const ok = await create.run(async () => {
      const expiresInDays = days === 'never' ? undefined : Number(days)
      created = unwrap(await api.POST('/api/v1/api-keys', { body: { name, scopes, expiresInDays } }))
    })
    if (ok && created) {
      setName('')
      onCreated(created)
    }
  }
  const toggle = (s: Scope) => setScopes((x) => (x.includes(s) ? x.filter((y) => y !== s) : [...x, s]))
  return (
    <form
      onSubmit={submit}
      aria-labelledby="new-key"
      className="flex flex-col gap-3 rounded border border-gray-200 bg-white p-4"
    >
      <h2 id="new-key" className="text-lg font-semibold">
        New API key
      </h2>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Name
        <input
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          className="rounded border border-gray-300 px-2 py-1 font-normal"
        />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Expires
        <select
          value={days}
          onChange={(e) => setDays(e.target.value)}
          className="rounded border border-gray-300 px-2 py-1 font-normal"
        >
          <option value="30">in 30 days</option>
          <option value="90">in 90 days</option>
          <option value="365">in a year</option>
          <option value="never">never (rotate it yourself)</option>
        </select>
      </label>
      <fieldset className="flex flex-col gap-1 text-sm">
        <legend className="font-medium">Scopes (what the key may do)</legend>
        {SCOPES.map((s) => (
          <label key={s.value} className="flex items-center gap-2">
            <input type="checkbox" checked={scopes.includes(s.value)} onChange={() => toggle(s.value)} />
            {s.label}
          </label>
        ))}
      </fieldset>
      {create.error ? <ErrorNote error={create.error} /> : null}
      <div>
        <button
          disabled={create.busy || scopes.length === 0}
          className="rounded bg-blue-700 px-3 py-2 text-sm font-medium text-white disabled:opacity-60"
        >
          {create.busy ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  )
}

function Keys() {
  const me = useMe()
  const [version, setVersion] = useState(0)
  const [secret, setSecret] = useState<{ name: string; secret: string }>()
  const loaded = useApi(`api-keys:${me.organization.id}:${version}`, () =>
    allPages(async (cursor) =>
      unwrap(await api.GET('/api/v1/api-keys', { params: { query: { limit: 200, cursor } } })),
    ),
  )
  const reload = () => setVersion((v) => v + 1)
  return (
    <>
      {secret ? (
        <ShownOnce
          label={`The secret of the key “${secret.name}”`}
          secret={secret.secret}
          onDone={() => setSecret(undefined)}
        />
      ) : null}
      {loaded.state === 'loading' ? <Loading what="the API keys" /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} /> : null}
      {loaded.state === 'ok' && loaded.data.length === 0 ? (
        <Empty>No API key yet: create one below.</Empty>
      ) : null}
      {loaded.state === 'ok' && loaded.data.length > 0 ? (
        <div className="overflow-x-auto rounded border border-gray-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="api-keys">
            <caption className="sr-only">API keys of the organization</caption>
            <thead className="bg-gray-50 text-gray-700">
              <tr>
                <th scope="col" className="p-2">
                  Name
                </th>
                <th scope="col" className="p-2">
                  Starts with
                </th>
                <th scope="col" className="p-2">
                  Scopes
                </th>
                <th scope="col" className="p-2">
                  Created
                </th>
                <th scope="col" className="p-2">
                  Last used
                </th>
                <th scope="col" className="p-2">
                  Stops working
                </th>
                <th scope="col" className="p-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {loaded.data.map((k) => (
                <KeyRow
                  key={k.id}
                  k={k}
                  onRevoked={reload}
                  onRotated={(n) => {
                    setSecret({
                      name: `${n.name} (rotated: the old secret works 24 h more)`,
                      secret: n.secret,
                    })
                    reload()
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <NewKey
        onCreated={(k) => {
          setSecret({ name: k.name, secret: k.secret })
          reload()
        }}
      />
    </>
  )
}

/** API keys: the API lets only admins and owners list them, create them (secret shown once) and revoke them. */
export default function ApiKeysSettings() {
  return (
    <>
      <h2 className="text-lg font-semibold">API keys</h2>
      <p className="text-sm text-gray-700">
        A key calls the API as the organization (<code>Authorization: Bearer lk_…</code>) with the scopes it
        was given. Only its hash is stored: the secret is shown once, when the key is created.
      </p>
      <RoleGate min={NEEDS.manageApiKeys}>
        <Keys />
      </RoleGate>
    </>
  )
}

'use client'
import { useState, type FormEvent } from 'react'
import { ErrorNote, Loading } from '@/components/states'
import { api, unwrap, type Schemas } from '@/lib/api'
import { NEEDS } from '@/lib/roles'
import { RoleGate, useMe } from '@/lib/session'
import { useApi } from '@/lib/use-api'
import { useWrite } from '@/lib/use-write'

type Sso = Schemas['SsoSettings']

const input = 'rounded border border-gray-300 px-2 py-1 font-normal'

/** The provider's settings: the client secret is write-only (the API says only whether one is stored). */
function SsoForm({ sso, onSaved }: { sso: Sso; onSaved: () => void }) {
  const save = useWrite()
  const [enforced, setEnforced] = useState(sso.enforced)
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const v = (k: string) => {
      const x = f.get(k)
      return typeof x === 'string' ? x.trim() : ''
    }
    const secret = v('clientSecret')
    const ok = await save.run(async () =>
      unwrap(
        await api.PUT('/api/v1/organization/sso', {
          body: {
            issuer: v('issuer'),
            clientId: v('clientId'),
            domain: v('domain'),
            enforced,
            ...(secret ? { clientSecret: secret } : {}),
          },
        }),
      ),
    )
    if (ok) onSaved()
  }
  async function remove() {
    if (await save.run(async () => unwrap(await api.DELETE('/api/v1/organization/sso')))) onSaved()
  }
  return (
    <form onSubmit={submit} className="flex flex-col gap-3 rounded border border-gray-200 bg-white p-4">
      <label className="flex flex-col gap-1 text-sm font-medium">
        Issuer URL
        <input
          name="issuer"
          type="url"
          required
          defaultValue={sso.issuer ?? ''}
          placeholder="https://login.example.com"
          className={input}
        />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Client ID
        <input name="clientId" required defaultValue={sso.clientId ?? ''} className={input} />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Client secret
        <input
          name="clientSecret"
          type="password"
          autoComplete="off"
          placeholder={sso.hasClientSecret ? 'Stored: leave empty to keep it' : 'None (public client)'}
          className={input}
        />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Email domain
        <input
          name="domain"
          required
          defaultValue={sso.domain ?? ''}
          placeholder="example.com"
          className={input}
        />
      </label>
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          name="enforced"
          checked={enforced}
          onChange={(e) => setEnforced(e.target.checked)}
          className="mt-1"
        />
        <span>
          <span className="font-medium">Members must sign in with SSO.</span> Password sign-in is refused for
          everyone below owner and their password sessions end now; owners keep password sign-in in case the
          provider fails. Someone must have signed in through the provider once first.
        </span>
      </label>
      {save.error ? <ErrorNote error={save.error} /> : null}
      <div className="flex flex-wrap gap-3">
        <button
          disabled={save.busy}
          className="rounded bg-blue-700 px-3 py-2 text-sm font-medium text-white disabled:opacity-60"
        >
          {save.busy ? 'Checking the provider…' : 'Save single sign-on'}
        </button>
        {sso.configured ? (
          <button
            type="button"
            disabled={save.busy}
            onClick={() => void remove()}
            className="rounded border border-rose-300 px-3 py-2 text-sm text-rose-800 disabled:opacity-60"
          >
            Remove single sign-on
          </button>
        ) : null}
      </div>
    </form>
  )
}

function SingleSignOn() {
  const me = useMe()
  const [version, setVersion] = useState(0)
  const loaded = useApi(`sso:${me.organization.id}:${version}`, async () =>
    unwrap(await api.GET('/api/v1/organization/sso')),
  )
  if (loaded.state === 'loading') return <Loading what="single sign-on" />
  if (loaded.state === 'error') return <ErrorNote error={loaded.error} />
  const sso = loaded.data
  return (
    <>
      <dl className="grid gap-x-4 gap-y-1 rounded border border-gray-200 bg-white p-4 text-sm sm:grid-cols-[12rem_1fr]">
        <dt className="text-gray-700">Status</dt>
        <dd data-testid="sso-status">
          {!sso.configured
            ? 'Not set up: members sign in with their password'
            : sso.enforced
              ? `Required for ${sso.domain} (owners may still use a password)`
              : `Available for ${sso.domain}; passwords still work`}
        </dd>
        <dt className="text-gray-700">Redirect URI to register</dt>
        <dd>
          <code data-testid="sso-redirect-uri" className="break-all">
            {sso.redirectUri}
          </code>
        </dd>
        <dt className="text-gray-700">Flow</dt>
        <dd>OpenID Connect, authorization code with PKCE; scopes openid, email, profile</dd>
      </dl>
      <SsoForm
        key={`${sso.updatedAt ?? 'none'}:${version}`}
        sso={sso}
        onSaved={() => setVersion((v) => v + 1)}
      />
    </>
  )
}

/** Single sign-on through the organization's OpenID Connect provider (ADR 0020): admins and owners. */
export default function SsoSettings() {
  return (
    <>
      <h2 className="text-lg font-semibold">Single sign-on</h2>
      <RoleGate min={NEEDS.manageSso}>
        <SingleSignOn />
      </RoleGate>
    </>
  )
}

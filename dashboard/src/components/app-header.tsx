'use client'
import Link from 'next/link'
import { usePathname, useRouter } from 'next/navigation'
import { api, unwrap } from '@/lib/api'
import { useMe, useSwitched, type Me } from '@/lib/session'
import { useApi } from '@/lib/use-api'
import { useWrite } from '@/lib/use-write'

const NAV = [
  { href: '/overview', label: 'Overview' },
  { href: '/conversations', label: 'Conversations' },
  { href: '/gaps', label: 'Knowledge gaps' },
  { href: '/signals', label: 'Signals' },
  { href: '/experiments', label: 'Experiments' },
  { href: '/explore', label: 'Explore' },
  { href: '/settings', label: 'Settings' },
  { href: '/onboarding', label: 'Setup' },
]

/**
 * The organization switcher: the user's memberships (GET /auth/organizations); choosing one asks
 * the API for a session in it (POST /auth/switch-organization), and the session remounts every
 * screen, which loads its data again as the new organization.
 */
function Switcher() {
  const me = useMe()
  const switched = useSwitched()
  const orgs = useApi(`organizations:${me.organization.id}`, async () =>
    unwrap(await api.GET('/api/v1/auth/organizations')),
  )
  const move = useWrite()
  async function choose(organizationId: string) {
    let next: Me | undefined
    const ok = await move.run(async () => {
      next = unwrap(await api.POST('/api/v1/auth/switch-organization', { body: { organizationId } }))
    })
    if (ok && next) await switched(next)
  }
  const mine = orgs.state === 'ok' ? orgs.data.items : []
  return (
    <>
      {mine.length > 1 ? (
        <label className="flex items-center gap-2">
          <span className="sr-only">Organization</span>
          <select
            data-testid="organization-switcher"
            value={me.organization.id}
            disabled={move.busy}
            onChange={(e) => void choose(e.target.value)}
            className="rounded border border-gray-300 px-2 py-1"
          >
            {mine.map((o) => (
              <option key={o.organizationId} value={o.organizationId}>
                {o.name} ({o.role})
              </option>
            ))}
          </select>
        </label>
      ) : (
        <span data-testid="organization" title={`Vertical: ${me.organization.vertical}`}>
          <span className="font-medium">{me.organization.name}</span>{' '}
          <span className="text-gray-600">({me.role})</span>
        </span>
      )}
      {move.error ? (
        <span role="alert" className="text-rose-800">
          {move.error.message}
        </span>
      ) : null}
    </>
  )
}

function Organization() {
  const router = useRouter()
  async function signOut() {
    await api.POST('/api/v1/auth/logout')
    router.replace('/sign-in')
  }
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <Switcher />
      <button onClick={signOut} className="rounded border border-gray-300 px-2 py-1 hover:bg-gray-100">
        Sign out
      </button>
    </div>
  )
}

export function AppHeader() {
  const path = usePathname()
  return (
    <header className="border-b border-gray-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 p-4">
        {/* text-sm and gap-x-3: the eight links and the organization fit one row at 1280 px */}
        <nav aria-label="Main" className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
          <span className="text-lg font-semibold text-blue-800">Luneo</span>
          {NAV.map((n) => (
            <Link
              key={n.href}
              href={n.href}
              aria-current={path.startsWith(n.href) ? 'page' : undefined}
              className={
                path.startsWith(n.href) ? 'font-semibold underline' : 'text-gray-700 hover:underline'
              }
            >
              {n.label}
            </Link>
          ))}
        </nav>
        <Organization />
      </div>
    </header>
  )
}

'use client'
import Link from 'next/link'
import { usePathname, useRouter } from 'next/navigation'
import { api } from '@/lib/api'
import { useMe } from '@/lib/session'

const NAV = [
  { href: '/overview', label: 'Overview' },
  { href: '/conversations', label: 'Conversations' },
  { href: '/gaps', label: 'Knowledge gaps' },
  { href: '/signals', label: 'Signals' },
  { href: '/experiments', label: 'Experiments' },
  { href: '/explore', label: 'Explore' },
]

/**
 * The organization "switcher": a session belongs to one organization (GET /auth/me), and the API
 * has no endpoint listing a user's other organizations yet, so it shows the current one and the
 * way to another (sign in with that organization's account).
 */
function Organization() {
  const me = useMe()
  const router = useRouter()
  async function signOut() {
    await api.POST('/api/v1/auth/logout')
    router.replace('/sign-in')
  }
  return (
    <div className="flex items-center gap-3 text-sm">
      <span data-testid="organization" title={`Vertical: ${me.organization.vertical}`}>
        <span className="font-medium">{me.organization.name}</span>{' '}
        <span className="text-gray-600">({me.role})</span>
      </span>
      <button onClick={signOut} className="rounded border border-gray-300 px-2 py-1 hover:bg-gray-100">
        Sign out / switch organization
      </button>
    </div>
  )
}

export function AppHeader() {
  const path = usePathname()
  return (
    <header className="border-b border-gray-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 p-4">
        <nav aria-label="Main" className="flex flex-wrap items-center gap-x-4 gap-y-1">
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

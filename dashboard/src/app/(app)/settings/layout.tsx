'use client'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import type { ReactNode } from 'react'

// Knowledge and widget are built on their own branch; the links are here so settings has one menu.
const SECTIONS = [
  { href: '/settings', label: 'Organization' },
  { href: '/settings/agents', label: 'Agents' },
  { href: '/settings/knowledge', label: 'Knowledge bases' },
  { href: '/settings/widget', label: 'Widget' },
  { href: '/settings/api-keys', label: 'API keys' },
  { href: '/settings/members', label: 'Members' },
  { href: '/settings/webhook', label: 'Webhook' },
  { href: '/settings/sso', label: 'Single sign-on' },
]

/** Settings: one sub-navigation beside every settings page. */
export default function SettingsLayout({ children }: { children: ReactNode }) {
  const path = usePathname()
  // '/settings' is a prefix of every section: it is current only on its own page.
  const current = (href: string) => (href === '/settings' ? path === href : path.startsWith(href))
  return (
    <div className="flex flex-col gap-6 md:flex-row">
      <nav aria-label="Settings" className="md:w-48 md:shrink-0">
        <h1 className="mb-2 text-xl font-semibold">Settings</h1>
        <ul className="flex flex-wrap gap-x-4 gap-y-1 md:flex-col">
          {SECTIONS.map((s) => (
            <li key={s.href}>
              <Link
                href={s.href}
                aria-current={current(s.href) ? 'page' : undefined}
                className={current(s.href) ? 'font-semibold underline' : 'text-gray-700 hover:underline'}
              >
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="flex min-w-0 flex-1 flex-col gap-4">{children}</div>
    </div>
  )
}

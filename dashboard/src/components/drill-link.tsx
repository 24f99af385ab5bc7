// A number linked to the conversations behind it (the report with the number's filters, lib/drill.ts).
import Link from 'next/link'
import type { ReactNode } from 'react'

/** The number linked to its conversations; just the number when there are none (no `href`). */
export function DrillLink(p: { href?: string | null | undefined; className?: string; children: ReactNode }) {
  if (!p.href) return <>{p.children}</>
  return (
    <Link
      className={p.className ?? 'text-blue-800 underline'}
      href={p.href}
      title="See the conversations behind this number"
    >
      {p.children}
    </Link>
  )
}

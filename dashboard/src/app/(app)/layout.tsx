'use client'
import type { ReactNode } from 'react'
import { AppHeader } from '@/components/app-header'
import { VerifyEmailBanner } from '@/components/verify-email-banner'
import { Session } from '@/lib/session'

/** Every screen behind sign-in: the session first, then the header and the screen. */
export default function AppLayout({ children }: { children: ReactNode }) {
  return (
    <Session>
      <AppHeader />
      <VerifyEmailBanner />
      <main className="mx-auto max-w-6xl p-4 sm:p-6">{children}</main>
    </Session>
  )
}

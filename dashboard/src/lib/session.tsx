'use client'
// Who is signed in, for every screen behind sign-in. A 401 from /auth/me sends the user to the
// sign-in page with the address to come back to; roles gate screens the same way the API does.
import { usePathname, useRouter } from 'next/navigation'
import { createContext, useContext, useEffect, type ReactNode } from 'react'
import { api, unwrap, type Schemas } from './api'
import { atLeast, type Role } from './roles'
import { useApi } from './use-api'
import { ErrorNote, Loading } from '@/components/states'

export type Me = Schemas['Me']

const SessionContext = createContext<Me | null>(null)

export function useMe(): Me {
  const me = useContext(SessionContext)
  if (!me) throw new Error('useMe outside <Session>')
  return me
}

/** Loads the session; children render only once it is known. */
export function Session({ children }: { children: ReactNode }) {
  const router = useRouter()
  const path = usePathname()
  const me = useApi('me', async () => unwrap(await api.GET('/api/v1/auth/me')))
  const signedOut = me.state === 'error' && me.error.status === 401
  useEffect(() => {
    if (signedOut) router.replace(`/sign-in?next=${encodeURIComponent(path)}`)
  }, [signedOut, router, path])
  if (me.state === 'loading' || signedOut) return <Loading what="your session" />
  if (me.state === 'error') return <ErrorNote error={me.error} />
  return <SessionContext.Provider value={me.data}>{children}</SessionContext.Provider>
}

/** Whether the signed-in user holds `min` or a higher role (to show or hide an action). */
export function useAtLeast(min: Role): boolean {
  return atLeast(useMe().role, min)
}

/** Renders children only for `min` or a higher role; others read why. */
export function RoleGate({ min, children }: { min: Role; children: ReactNode }) {
  const me = useMe()
  if (atLeast(me.role, min)) return <>{children}</>
  return (
    <p role="alert" className="rounded border border-amber-200 bg-amber-50 p-4 text-amber-900">
      This screen needs the {min} role or higher; you are {me.role}.
    </p>
  )
}

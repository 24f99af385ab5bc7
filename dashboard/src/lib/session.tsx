'use client'
// Who is signed in, for every screen behind sign-in. A 401 from /auth/me sends the user to the
// sign-in page with the address to come back to; roles gate screens the same way the API does.
import { usePathname, useRouter } from 'next/navigation'
import { Fragment, createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import { api, unwrap, type Schemas } from './api'
import { atLeast, type Role } from './roles'
import { useApi } from './use-api'
import { ErrorNote, Loading } from '@/components/states'

export type Me = Schemas['Me']

const SessionContext = createContext<Me | null>(null)
const SwitchContext = createContext<(me: Me) => void>(() => undefined)

/** Tells the session it now acts in another organization (the API's answer to a switch). */
export function useSwitched(): (me: Me) => void {
  return useContext(SwitchContext)
}

export function useMe(): Me {
  const me = useContext(SessionContext)
  if (!me) throw new Error('useMe outside <Session>')
  return me
}

/**
 * Loads the session; children render only once it is known. After an organization switch the
 * children are keyed by the new organization, so every screen mounts afresh and loads its data
 * from the new session (no screen can keep showing the previous organization's rows).
 */
export function Session({ children }: { children: ReactNode }) {
  const router = useRouter()
  const path = usePathname()
  const loaded = useApi('me', async () => unwrap(await api.GET('/api/v1/auth/me')))
  const [switched, setSwitched] = useState<Me>()
  const signedOut = loaded.state === 'error' && loaded.error.status === 401
  useEffect(() => {
    if (signedOut) router.replace(`/sign-in?next=${encodeURIComponent(path)}`)
  }, [signedOut, router, path])
  if (loaded.state === 'loading' || signedOut) return <Loading what="your session" />
  if (loaded.state === 'error') return <ErrorNote error={loaded.error} />
  const me = switched ?? loaded.data
  return (
    <SessionContext.Provider value={me}>
      <SwitchContext.Provider value={setSwitched}>
        <Fragment key={me.organization.id}>{children}</Fragment>
      </SwitchContext.Provider>
    </SessionContext.Provider>
  )
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
    <p
      role="alert"
      data-testid="role-gate"
      className="rounded border border-amber-200 bg-amber-50 p-4 text-amber-900"
    >
      This screen needs the {min} role or higher; you are {me.role}.
    </p>
  )
}

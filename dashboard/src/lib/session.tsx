'use client'
// Who is signed in, for every screen behind sign-in. A 401 from /auth/me sends the user to the
// sign-in page with the address to come back to; roles gate screens the same way the API does.
// The organization (GET /organization) comes with it: its locale formats every number shown.
import { usePathname, useRouter } from 'next/navigation'
import { Fragment, createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import { api, unwrap, type Schemas } from './api'
import { setDisplayLocale } from './format'
import { atLeast, type Role } from './roles'
import { useApi } from './use-api'
import { ErrorNote, Loading } from '@/components/states'

export type Me = Schemas['Me']
export type Organization = Schemas['Organization']

const SessionContext = createContext<Me | null>(null)
const SwitchContext = createContext<(me: Me) => Promise<void>>(async () => undefined)

/** Tells the session it now acts in another organization (the API's answer to a switch). */
export function useSwitched(): (me: Me) => Promise<void> {
  return useContext(SwitchContext)
}
const OrganizationContext = createContext<{
  organization: Organization
  /** After a PATCH: the screens re-render on the organization the API answered. */
  update: (o: Organization) => void
} | null>(null)

export function useMe(): Me {
  const me = useContext(SessionContext)
  if (!me) throw new Error('useMe outside <Session>')
  return me
}

/** The caller's organization (assumptions, currency, locale) and how to replace it after an edit. */
export function useOrganization() {
  const o = useContext(OrganizationContext)
  if (!o) throw new Error('useOrganization outside <Session>')
  return o
}

/**
 * Loads the session and the organization; children render only once both are known. After an
 * organization switch the children are keyed by the new organization, so every screen mounts
 * afresh and loads its data from the new session (no screen keeps the previous one's rows).
 */
export function Session({ children }: { children: ReactNode }) {
  const router = useRouter()
  const path = usePathname()
  const loaded = useApi('me', async () => {
    const [me, organization] = await Promise.all([
      api.GET('/api/v1/auth/me').then(unwrap),
      api.GET('/api/v1/organization').then(unwrap),
    ])
    return { me, organization }
  })
  const [switched, setSwitched] = useState<{ me: Me; organization: Organization }>()
  const [edited, setEdited] = useState<Organization | null>(null)
  const onSwitched = async (me: Me) => {
    const organization = await api.GET('/api/v1/organization').then(unwrap)
    setEdited(null)
    setSwitched({ me, organization })
  }
  const signedOut = loaded.state === 'error' && loaded.error.status === 401
  useEffect(() => {
    if (signedOut) router.replace(`/sign-in?next=${encodeURIComponent(path)}`)
  }, [signedOut, router, path])
  if (loaded.state === 'loading' || signedOut) return <Loading what="your session" />
  if (loaded.state === 'error') return <ErrorNote error={loaded.error} />
  const me = switched?.me ?? loaded.data.me
  const organization = edited ?? switched?.organization ?? loaded.data.organization
  // Before the children render, so their first paint already speaks the organization's locale.
  setDisplayLocale(organization.locale)
  return (
    <SessionContext.Provider value={me}>
      <SwitchContext.Provider value={onSwitched}>
        <OrganizationContext.Provider value={{ organization, update: setEdited }}>
          <Fragment key={me.organization.id}>{children}</Fragment>
        </OrganizationContext.Provider>
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

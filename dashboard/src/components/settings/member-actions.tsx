'use client'
import { useState } from 'react'
import { ErrorNote } from '@/components/states'
import { api, succeeded, unwrap, type Schemas } from '@/lib/api'
import { grantable, type Role } from '@/lib/roles'
import { useWrite } from '@/lib/use-write'

type Member = Schemas['Member']

/**
 * Change a member's role or remove them (admins, up to their own role). The API ends the member's
 * sessions at once either way: they sign in again under the new role, or not at all.
 */
export function MemberActions({ m, myRole, onChanged }: { m: Member; myRole: Role; onChanged: () => void }) {
  const [role, setRole] = useState<Role>(m.role)
  const [confirming, setConfirming] = useState(false)
  const write = useWrite()
  const roles = grantable(myRole)
  if (!roles.includes(m.role)) return <span className="text-gray-700">—</span>
  async function changeRole() {
    const ok = await write.run(async () =>
      unwrap(await api.PATCH('/api/v1/members/{id}', { params: { path: { id: m.id } }, body: { role } })),
    )
    if (ok) onChanged()
  }
  async function remove() {
    if (!confirming) return setConfirming(true)
    const ok = await write.run(async () =>
      succeeded(await api.DELETE('/api/v1/members/{id}', { params: { path: { id: m.id } } })),
    )
    if (ok) onChanged()
  }
  const input = 'rounded border border-gray-300 px-2 py-1'
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`role-${m.id}`}>
        Role of {m.email}
      </label>
      <select
        id={`role-${m.id}`}
        value={role}
        onChange={(e) => setRole(e.target.value as Role)}
        className={input}
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={write.busy || role === m.role}
        onClick={changeRole}
        className="rounded border border-gray-300 px-2 py-1 hover:bg-gray-100 disabled:opacity-50"
      >
        Change role
      </button>
      <button
        type="button"
        disabled={write.busy}
        onClick={remove}
        className="rounded border border-red-300 px-2 py-1 text-red-800 hover:bg-red-50 disabled:opacity-50"
      >
        {confirming ? `Remove ${m.email}?` : 'Remove'}
      </button>
      {write.error ? <ErrorNote error={write.error} /> : null}
    </div>
  )
}

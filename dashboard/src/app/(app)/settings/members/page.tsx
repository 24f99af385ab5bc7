'use client'
import { useState, type FormEvent } from 'react'
import { MemberActions } from '@/components/settings/member-actions'
import { PendingInvitations } from '@/components/settings/pending-invitations'
import { ReadOnly } from '@/components/settings/read-only'
import { ShownOnce } from '@/components/settings/shown-once'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { allPages } from '@/lib/all-pages'
import { api, unwrap, type Schemas } from '@/lib/api'
import { fmtDateTime } from '@/lib/format'
import { grantable, NEEDS, type Role } from '@/lib/roles'
import { useAtLeast, useMe } from '@/lib/session'
import { useApi } from '@/lib/use-api'
import { useWrite } from '@/lib/use-write'

type Member = Schemas['Member']

function Invite({ onInvited }: { onInvited: (m: Member) => void }) {
  const me = useMe()
  const roles = grantable(me.role)
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('viewer')
  const invite = useWrite()
  async function submit(e: FormEvent) {
    e.preventDefault()
    let added: Member | undefined
    const ok = await invite.run(async () => {
      added = unwrap(await api.POST('/api/v1/members', { body: { email, role } }))
    })
    if (ok && added) {
      setEmail('')
      onInvited(added)
    }
  }
  const input = 'rounded border border-gray-300 px-2 py-1 font-normal'
  return (
    <form
      onSubmit={submit}
      aria-labelledby="invite"
      className="flex flex-col gap-3 rounded border border-gray-200 bg-white p-4"
    >
      <h2 id="invite" className="text-lg font-semibold">
        Invite a member
      </h2>
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium">
          Email
          <input
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            className={input}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} className={input}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button
          disabled={invite.busy}
          className="rounded bg-blue-700 px-3 py-2 text-sm font-medium text-white disabled:opacity-60"
        >
          {invite.busy ? 'Inviting…' : 'Invite'}
        </button>
      </div>
      <p className="text-sm text-gray-700">
        Everyone gets an invitation link by email, to accept within 7 days — someone who already has a Luneo
        account accepts it with their own password (the answer never says whether an email has an account).
        You can grant up to your own role ({me.role}). Changing a role or removing a member ends their
        sessions at once.
      </p>
      {invite.error ? <ErrorNote error={invite.error} /> : null}
    </form>
  )
}

/** What the inviter sees of an invitation just (re)sent: the email went, or (no mail server) its link. */
type Sent = Pick<Member, 'email' | 'role' | 'emailDelivery' | 'inviteToken'>

/**
 * With a mail server the link travels only in the email. Without one (`make dev`) the API returns
 * it once, for the inviter to hand over; the token rides in the fragment, which browsers never
 * send to a server (app/accept-invite).
 */
function Invited({ m, onDone }: { m: Sent; onDone: () => void }) {
  if (m.emailDelivery === 'log' && m.inviteToken)
    return (
      <ShownOnce
        label={`No mail server is configured. The invitation link for ${m.email} (${m.role}), valid 7 days`}
        secret={`${window.location.origin}/accept-invite#${encodeURIComponent(m.inviteToken)}`}
        onDone={onDone}
      />
    )
  return (
    <p
      role="status"
      data-testid="invitation-sent"
      className="rounded border border-emerald-300 bg-emerald-50 p-4 text-emerald-950"
    >
      Invitation emailed to {m.email} ({m.role}); the link works for 7 days.
    </p>
  )
}

/** Members and their roles; admins and owners invite by email with a role. */
export default function MembersSettings() {
  const me = useMe()
  const mayInvite = useAtLeast(NEEDS.inviteMembers)
  const [version, setVersion] = useState(0)
  const [invited, setInvited] = useState<Sent>()
  const loaded = useApi(`members:${me.organization.id}:${version}`, () =>
    allPages(async (cursor) =>
      unwrap(await api.GET('/api/v1/members', { params: { query: { limit: 200, cursor } } })),
    ),
  )
  return (
    <>
      <h2 className="text-lg font-semibold">Members</h2>
      {mayInvite ? null : <ReadOnly what="inviting a member" needs={NEEDS.inviteMembers} role={me.role} />}
      {invited ? <Invited m={invited} onDone={() => setInvited(undefined)} /> : null}
      {loaded.state === 'loading' ? <Loading what="the members" /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} /> : null}
      {loaded.state === 'ok' && loaded.data.length === 0 ? <Empty>No member yet.</Empty> : null}
      {loaded.state === 'ok' && loaded.data.length > 0 ? (
        <div className="overflow-x-auto rounded border border-gray-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="members">
            <caption className="sr-only">Members of the organization and their roles</caption>
            <thead className="bg-gray-50 text-gray-700">
              <tr>
                <th scope="col" className="p-2">
                  Email
                </th>
                <th scope="col" className="p-2">
                  Name
                </th>
                <th scope="col" className="p-2">
                  Role
                </th>
                <th scope="col" className="p-2">
                  Member since
                </th>
                {mayInvite ? (
                  <th scope="col" className="p-2">
                    Actions
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {loaded.data.map((m) => (
                <tr key={m.id} data-id={m.id} data-email={m.email} className="border-t border-gray-200">
                  <td className="p-2 font-medium">
                    {m.email}
                    {m.userId === me.user.id ? <span className="text-gray-700"> (you)</span> : null}
                  </td>
                  <td className="p-2">{m.name ?? '—'}</td>
                  <td className="p-2" data-testid="member-role">
                    {m.role}
                  </td>
                  <td className="p-2">{fmtDateTime(m.createdAt)}</td>
                  {mayInvite ? (
                    <td className="p-2">
                      {m.userId === me.user.id ? (
                        <span className="text-gray-700">—</span>
                      ) : (
                        <MemberActions m={m} myRole={me.role} onChanged={() => setVersion((v) => v + 1)} />
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {mayInvite ? (
        <PendingInvitations
          version={`${me.organization.id}:${version}`}
          onSent={(sent) => {
            setInvited(sent)
            setVersion((v) => v + 1)
          }}
          onChanged={() => setVersion((v) => v + 1)}
        />
      ) : null}
      {mayInvite ? (
        <Invite
          onInvited={(m) => {
            setInvited(m)
            setVersion((v) => v + 1)
          }}
        />
      ) : null}
    </>
  )
}

'use client'
// Invitations not yet accepted: each can be sent again (a new link; the one before stops working)
// or cancelled (its link stops working at once).
import { useState } from 'react'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { allPages } from '@/lib/all-pages'
import { api, succeeded, unwrap, type Schemas } from '@/lib/api'
import { fmtDateTime } from '@/lib/format'
import { useApi } from '@/lib/use-api'
import { useWrite } from '@/lib/use-write'

type Invitation = Schemas['Invitation']
export type InvitationSent = Schemas['InvitationSent']

function Actions({
  inv,
  onSent,
  onChanged,
}: {
  inv: Invitation
  onSent: (s: InvitationSent) => void
  onChanged: () => void
}) {
  const [confirming, setConfirming] = useState(false)
  const write = useWrite()
  async function resend() {
    let sent: InvitationSent | undefined
    const ok = await write.run(async () => {
      sent = unwrap(await api.POST('/api/v1/invitations/{id}/resend', { params: { path: { id: inv.id } } }))
    })
    if (ok && sent) onSent(sent)
  }
  async function cancel() {
    if (!confirming) return setConfirming(true)
    const ok = await write.run(async () =>
      succeeded(await api.DELETE('/api/v1/invitations/{id}', { params: { path: { id: inv.id } } })),
    )
    if (ok) onChanged()
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        disabled={write.busy}
        onClick={resend}
        className="rounded border border-gray-300 px-2 py-1 hover:bg-gray-100 disabled:opacity-50"
      >
        Resend
      </button>
      <button
        type="button"
        disabled={write.busy}
        onClick={cancel}
        className="rounded border border-red-300 px-2 py-1 text-red-800 hover:bg-red-50 disabled:opacity-50"
      >
        {confirming ? `Cancel the invitation of ${inv.email}?` : 'Cancel invitation'}
      </button>
      {write.error ? <ErrorNote error={write.error} /> : null}
    </div>
  )
}

/** The organization's pending invitations (admins), reloaded when `version` changes. */
export function PendingInvitations({
  version,
  onSent,
  onChanged,
}: {
  version: string
  onSent: (s: InvitationSent) => void
  onChanged: () => void
}) {
  const loaded = useApi(`invitations:${version}`, () =>
    allPages(async (cursor) =>
      unwrap(await api.GET('/api/v1/invitations', { params: { query: { limit: 200, cursor } } })),
    ),
  )
  return (
    <section aria-labelledby="pending-invitations" className="flex flex-col gap-2">
      <h2 id="pending-invitations" className="text-lg font-semibold">
        Pending invitations
      </h2>
      {loaded.state === 'loading' ? <Loading what="the pending invitations" /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} /> : null}
      {loaded.state === 'ok' && loaded.data.length === 0 ? (
        <Empty testId="no-invitations">No invitation is waiting to be accepted.</Empty>
      ) : null}
      {loaded.state === 'ok' && loaded.data.length > 0 ? (
        <div className="overflow-x-auto rounded border border-gray-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="invitations">
            <caption className="sr-only">Invitations not yet accepted</caption>
            <thead className="bg-gray-50 text-gray-700">
              <tr>
                <th scope="col" className="p-2">
                  Email
                </th>
                <th scope="col" className="p-2">
                  Role
                </th>
                <th scope="col" className="p-2">
                  Link valid until
                </th>
                <th scope="col" className="p-2">
                  Actions
                </th>
              </tr>
            </thead>
            <tbody>
              {loaded.data.map((inv) => (
                <tr key={inv.id} data-email={inv.email} className="border-t border-gray-200">
                  <td className="p-2 font-medium">{inv.email}</td>
                  <td className="p-2">{inv.role}</td>
                  <td className="p-2" data-testid="invitation-expiry">
                    {inv.status === 'expired' ? (
                      <span className="text-rose-800">expired {fmtDateTime(inv.expiresAt)}</span>
                    ) : (
                      fmtDateTime(inv.expiresAt)
                    )}
                  </td>
                  <td className="p-2">
                    <Actions inv={inv} onSent={onSent} onChanged={onChanged} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  )
}

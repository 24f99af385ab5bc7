'use client'
import { ErrorNote } from '@/components/states'
import { api, unwrap, type Schemas } from '@/lib/api'
import { NEEDS, atLeast, type Role } from '@/lib/roles'
import { useWrite } from '@/lib/use-write'
import { ReadOnly } from './read-only'

type Organization = Schemas['Organization']

/**
 * Whether contacts' names go into remote models' prompts. Off by default: the API redacts PII
 * before a remote model reads a message, and the name is PII too (the local model is in-process).
 */
export function PrivacySetting({
  org,
  role,
  onSaved,
}: {
  org: Organization
  role: Role
  onSaved: () => void
}) {
  const write = useWrite()
  const on = org.privacy.namesToRemoteModels
  async function toggle() {
    const ok = await write.run(() =>
      api.PUT('/api/v1/organization/privacy', { body: { namesToRemoteModels: !on } }).then(unwrap),
    )
    if (ok) onSaved()
  }
  return (
    <section
      aria-labelledby="privacy-title"
      className="flex flex-col gap-2 rounded border border-gray-200 bg-white p-3"
    >
      <h3 id="privacy-title" className="font-semibold">
        Privacy
      </h3>
      <p className="text-sm" data-testid="privacy-names">
        Contacts’ names in remote model prompts: <strong>{on ? 'allowed' : 'kept out'}</strong>. Emails,
        phones, cards, IBANs, national ids, dates of birth and street addresses are always redacted before a
        remote model reads a message.
      </p>
      {atLeast(role, NEEDS.managePrivacy) ? (
        <div>
          <button
            type="button"
            onClick={toggle}
            disabled={write.busy}
            className="rounded border border-gray-300 px-3 py-1 text-sm hover:bg-gray-100 disabled:opacity-50"
          >
            {on ? 'Keep names out of remote prompts' : 'Allow names in remote prompts'}
          </button>
        </div>
      ) : (
        <ReadOnly what="changing what remote models read" needs={NEEDS.managePrivacy} role={role} />
      )}
      {write.error ? <ErrorNote error={write.error} /> : null}
    </section>
  )
}

'use client'
import { useState } from 'react'
import { ErrorNote, Loading } from '@/components/states'
import { api, unwrap, type Schemas } from '@/lib/api'
import { NEEDS, atLeast, type Role } from '@/lib/roles'
import { useApi } from '@/lib/use-api'
import { useWrite } from '@/lib/use-write'
import { ReadOnly } from './read-only'

type Retention = Schemas['RetentionSettings']

/** What goes when, in the words of the API's retention job (docs/adr/0022). */
function Explanation({ r }: { r: Retention }) {
  return (
    <ul className="list-disc pl-5 text-sm text-gray-800" data-testid="retention-explained">
      <li>
        <strong>{r.conversationDays} days</strong> after a conversation’s last message, it is deleted with its
        messages, feedback comments, outcomes, follow-up tasks and webhook deliveries, in the database and in
        the analytics store’s event and message tables. A contact left with no conversation goes too, and so
        do open knowledge gaps nobody asked about since.
      </li>
      <li>
        <strong>{r.analyticsDays} days</strong>: analytics facts without customer text (reply costs and
        grounding, outcomes, ratings, per-conversation results) are deleted; charts older than that read
        empty.
      </li>
      <li>
        The deletion runs once a day, at the first pass after midnight UTC, so data may stay up to a day past
        its date. Whatever a policy says, nothing holding customer text is kept past{' '}
        {r.limits.conversationDays.max} days, nor aggregates past {r.limits.analyticsDays.max} days.
      </li>
      <li>
        Kept by the platform for everyone: sent events {r.platform.outboxKeepHours} hours in the outbox and{' '}
        {r.platform.eventStreamDays} days in the event stream; refused events {r.platform.deadLetterDays}{' '}
        days. Accepted knowledge-gap answers are your documents and stay. The audit log keeps who changed
        what, never customer text.
      </li>
      <li>To remove one person’s data at once, open one of their conversations and erase the contact.</li>
    </ul>
  )
}

function Form({ r, onSaved }: { r: Retention; onSaved: () => void }) {
  const write = useWrite()
  const [conversationDays, setConversationDays] = useState(String(r.conversationDays))
  const [analyticsDays, setAnalyticsDays] = useState(String(r.analyticsDays))
  async function save(e: React.FormEvent) {
    e.preventDefault()
    const body = { conversationDays: Number(conversationDays), analyticsDays: Number(analyticsDays) }
    if (await write.run(() => api.PUT('/api/v1/organization/retention', { body }).then(unwrap))) onSaved()
  }
  const field = (
    id: string,
    label: string,
    value: string,
    set: (v: string) => void,
    l: Retention['limits']['analyticsDays'],
  ) => (
    <label htmlFor={id} className="flex flex-col gap-1 text-sm">
      {label} ({l.min}–{l.max}, default {l.default})
      <input
        id={id}
        type="number"
        min={l.min}
        max={l.max}
        step={1}
        required
        value={value}
        onChange={(e) => set(e.target.value)}
        className="w-32 rounded border border-gray-300 px-2 py-1"
      />
    </label>
  )
  return (
    <form onSubmit={save} className="flex flex-wrap items-end gap-3" data-testid="retention-form">
      {field(
        'retention-conversations',
        'Conversations, days',
        conversationDays,
        setConversationDays,
        r.limits.conversationDays,
      )}
      {field(
        'retention-analytics',
        'Analytics, days',
        analyticsDays,
        setAnalyticsDays,
        r.limits.analyticsDays,
      )}
      <button
        type="submit"
        disabled={write.busy}
        className="rounded border border-gray-300 px-3 py-1 text-sm hover:bg-gray-100 disabled:opacity-50"
      >
        Save retention
      </button>
      {write.error ? <ErrorNote error={write.error} /> : null}
    </form>
  )
}

/** The organization's retention policy: what is removed when, and (for admins) the form to change it. */
export function RetentionSetting({ organizationId, role }: { organizationId: string; role: Role }) {
  const [version, setVersion] = useState(0)
  const loaded = useApi(`retention:${organizationId}:${version}`, async () =>
    unwrap(await api.GET('/api/v1/organization/retention')),
  )
  return (
    <section
      aria-labelledby="retention-title"
      className="flex flex-col gap-2 rounded border border-gray-200 bg-white p-3"
      data-testid="retention"
    >
      <h3 id="retention-title" className="font-semibold">
        Retention
      </h3>
      {loaded.state === 'loading' ? <Loading what="the retention policy" /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} /> : null}
      {loaded.state === 'ok' ? (
        <>
          <Explanation r={loaded.data} />
          {atLeast(role, NEEDS.manageRetention) ? (
            <Form key={version} r={loaded.data} onSaved={() => setVersion((v) => v + 1)} />
          ) : (
            <ReadOnly what="changing how long data is kept" needs={NEEDS.manageRetention} role={role} />
          )}
        </>
      ) : null}
    </section>
  )
}

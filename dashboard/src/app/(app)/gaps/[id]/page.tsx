'use client'
import Link from 'next/link'
import { useParams } from 'next/navigation'
import { useState } from 'react'
import { DrillLink } from '@/components/drill-link'
import { GapLift } from '@/components/gap-lift'
import { FreshnessMark } from '@/components/freshness'
import { GapReview } from '@/components/gap-review'
import { ErrorNote, Loading } from '@/components/states'
import { api, unwrap, type Schemas } from '@/lib/api'
import { fmtCount, fmtDateTime, fmtMoney } from '@/lib/format'
import { gapHref } from '@/lib/drill'
import { gapListHref } from '@/lib/gap-filters'
import { NEEDS } from '@/lib/roles'
import { RoleGate } from '@/lib/session'
import { useApi } from '@/lib/use-api'

type Gap = Schemas['KnowledgeGap']

function Facts({ gap }: { gap: Gap }) {
  const facts: [string, string, string, string?][] = [
    ['volume', 'Questions', fmtCount(gap.volume)],
    ['conversations', 'Conversations', fmtCount(gap.conversations), gapHref(gap) ?? undefined],
    ['escalations', 'Escalations', fmtCount(gap.escalations)],
    ['cost', 'Escalation cost', fmtMoney(gap.escalationCost, gap.currency)],
    ['last-seen', 'Last asked', fmtDateTime(gap.lastSeenAt)],
  ]
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
      {facts.map(([id, label, text, href]) => (
        <div key={id} className="rounded border border-gray-200 bg-white p-3" data-testid={`fact-${id}`}>
          <dt className="text-xs text-gray-700">{label}</dt>
          <dd className="text-xl font-semibold">
            <DrillLink href={href}>{text}</DrillLink>
          </dd>
        </div>
      ))}
    </dl>
  )
}

function Reviewed({ gap }: { gap: Gap }) {
  return (
    <section
      className="flex flex-col gap-2 rounded border border-gray-200 bg-white p-4"
      data-testid="reviewed"
    >
      <p className="text-sm text-gray-700">
        {gap.status === 'accepted' ? 'Accepted' : 'Rejected'}
        {gap.reviewedAt ? ` ${fmtDateTime(gap.reviewedAt)}` : ''}
      </p>
      {gap.acceptedAnswer ? (
        <>
          <h2 className="text-lg font-semibold">Published answer</h2>
          <p className="whitespace-pre-wrap" data-testid="accepted-answer">
            {gap.acceptedAnswer}
          </p>
        </>
      ) : null}
    </section>
  )
}

function GapDetail({ id }: { id: string }) {
  const loaded = useApi(id, async () =>
    unwrap(await api.GET('/api/v1/analytics/knowledge-gaps/{id}', { params: { path: { id } } })),
  )
  // The API's answer to an accept or reject replaces the loaded gap (no second fetch).
  const [reviewed, setReviewed] = useState<Gap>()
  if (loaded.state === 'loading') return <Loading what="the gap" />
  if (loaded.state === 'error') return <ErrorNote error={loaded.error} />
  const gap = reviewed ?? loaded.data
  return (
    <article className="flex flex-col gap-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">{gap.label}</h1>
        <span className="rounded bg-gray-100 px-2 py-0.5 text-sm text-gray-800" data-testid="gap-status">
          {gap.status}
        </span>
      </div>
      <FreshnessMark refreshKey={gap.status} />
      <Facts gap={gap} />
      <section aria-labelledby="examples-title">
        <h2 id="examples-title" className="text-lg font-semibold">
          Questions asked
        </h2>
        <ul className="list-disc pl-5" data-testid="examples">
          {gap.examples.map((q) => (
            <li key={q}>{q}</li>
          ))}
        </ul>
      </section>
      {gap.status === 'open' ? <GapReview gap={gap} onReviewed={setReviewed} /> : <Reviewed gap={gap} />}
      {gap.status === 'accepted' ? <GapLift id={gap.id} version={gap.updatedAt} /> : null}
    </article>
  )
}

export default function Page() {
  const { id } = useParams<{ id: string }>()
  return (
    <RoleGate min={NEEDS.readGaps}>
      <div className="flex flex-col gap-4">
        <Link href={gapListHref('open')} className="text-sm text-blue-800 underline">
          ← Back to the knowledge gaps
        </Link>
        <GapDetail id={id} />
      </div>
    </RoleGate>
  )
}

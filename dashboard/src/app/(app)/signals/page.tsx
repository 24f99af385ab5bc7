'use client'
import { FreshnessMark } from '@/components/freshness'
import Link from 'next/link'
import { useSearchParams } from 'next/navigation'
import { Suspense } from 'react'
import { PeriodPicker, useSetParams } from '@/components/period-picker'
import {
  RATES,
  SignalSection,
  type RateName,
  type SignalGroup,
  type SignalValues,
} from '@/components/signal-sections'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { api, unwrap, type Schemas } from '@/lib/api'
import { drillHref } from '@/lib/drill'
import { fmtCount, fmtRatio } from '@/lib/format'
import { instant, periodOf, type Period } from '@/lib/period'
import { RoleGate } from '@/lib/session'
import { useAgentName } from '@/lib/use-agents'
import { useApi } from '@/lib/use-api'

type Signals = Schemas['Signals']

const values = (r: SignalValues): SignalValues => ({
  replies: r.replies,
  unanswered_rate: r.unanswered_rate,
  negative_feedback_rate: r.negative_feedback_rate,
  escalation_after_reply_rate: r.escalation_after_reply_rate,
  rephrase_rate: r.rephrase_rate,
  reply_abandonment_rate: r.reply_abandonment_rate,
})

function Totals({ s, period }: { s: Signals; period: Period }) {
  const href = drillHref(period)
  const facts: [string, string, string][] = [
    ['replies', 'AI replies', fmtCount(s.totals.replies)],
    ...RATES.map((r): [string, string, string] => [r.name, r.title, fmtRatio(s.totals[r.name])]),
  ]
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label="Signal totals">
      {facts.map(([id, label, text]) => (
        <div key={id} className="rounded border border-gray-200 bg-white p-3" data-testid={`total-${id}`}>
          <dt className="text-xs text-gray-700">{label}</dt>
          <dd className="text-xl font-semibold">
            <Link href={href} className="hover:underline" title="See the conversations of this period">
              {text}
            </Link>
          </dd>
        </div>
      ))}
    </dl>
  )
}

function RatePicker({ rate }: { rate: RateName }) {
  const set = useSetParams()
  return (
    <label className="flex flex-col text-sm">
      Chart the rate
      <select
        value={rate}
        onChange={(e) => set({ rate: e.target.value })}
        className="rounded border border-gray-300 px-2 py-1"
      >
        {RATES.map((r) => (
          <option key={r.name} value={r.name}>
            {r.title}
          </option>
        ))}
      </select>
    </label>
  )
}

function SignalsScreen() {
  const params = useSearchParams()
  const period = periodOf(params)
  const rate = RATES.find((r) => r.name === params.get('rate'))?.name ?? 'unanswered_rate'
  const agentName = useAgentName()
  const result = useApi(`${period.from}/${period.to}`, async () =>
    unwrap(
      await api.GET('/api/v1/analytics/signals', {
        params: { query: { from: instant(period.from), to: instant(period.to) } },
      }),
    ),
  )
  const s = result.state === 'ok' ? result.data : null
  const groups: { id: string; title: string; header: string; rows: SignalGroup[] }[] = s
    ? [
        {
          id: 'intent',
          title: 'By intent',
          header: 'Intent',
          rows: s.byIntent.map((r) => ({
            key: r.intent,
            label: r.intent,
            filter: { intent: r.intent },
            values: values(r),
          })),
        },
        {
          id: 'agent',
          title: 'By agent',
          header: 'Agent',
          rows: s.byAgent.map((r) => ({
            key: r.agentId,
            label: agentName(r.agentId),
            filter: { agentId: r.agentId },
            values: values(r),
          })),
        },
        {
          id: 'channel',
          title: 'By channel',
          header: 'Channel',
          rows: s.byChannel.map((r) => ({
            key: r.channel,
            label: r.channel,
            filter: { channel: r.channel },
            values: values(r),
          })),
        },
      ]
    : []
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Learning signals</h1>
          <FreshnessMark />
          <p className="text-sm text-gray-700">
            What happened after each AI reply, as a share of replies. Click a bar or a number for the
            conversations behind it.
          </p>
        </div>
        <div className="flex flex-wrap items-end gap-3">
          <PeriodPicker period={period} />
          <RatePicker rate={rate} />
        </div>
      </div>
      {result.state === 'loading' ? <Loading what="the signals" /> : null}
      {result.state === 'error' ? <ErrorNote error={result.error} /> : null}
      {s && !s.totals.replies ? <Empty>No AI reply in this period: pick another period.</Empty> : null}
      {s && s.totals.replies ? (
        <>
          <Totals s={s} period={period} />
          {groups.map((g) => (
            <SignalSection
              key={g.id}
              id={g.id}
              title={g.title}
              groupHeader={g.header}
              groups={g.rows}
              rate={rate}
              period={period}
            />
          ))}
        </>
      ) : null}
    </div>
  )
}

export default function Page() {
  return (
    <RoleGate min="viewer">
      <Suspense fallback={<Loading what="the signals" />}>
        <SignalsScreen />
      </Suspense>
    </RoleGate>
  )
}

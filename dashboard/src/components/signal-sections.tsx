'use client'
// One section per grouping of the reply signals (intent, agent, channel): a chart of the chosen
// rate and the table of every rate; each group, bar and number links to its conversations.
import { useRouter } from 'next/navigation'
import { GroupBars } from '@/components/charts'
import { DataTable, type Column } from '@/components/data-table'
import type { Schemas } from '@/lib/api'
import { csvName } from '@/lib/csv'
import { drillHref, type DrillFilters } from '@/lib/drill'
import { fmtCount, fmtRatio } from '@/lib/format'
import type { Period } from '@/lib/period'

export type SignalValues = Schemas['SignalTotals']
export type RateName = Exclude<keyof SignalValues, 'replies'>

export const RATES: { name: RateName; title: string }[] = [
  { name: 'unanswered_rate', title: 'Unanswered' },
  { name: 'negative_feedback_rate', title: 'Negative feedback' },
  { name: 'escalation_after_reply_rate', title: 'Escalated after reply' },
  { name: 'rephrase_rate', title: 'Rephrased' },
  { name: 'reply_abandonment_rate', title: 'Abandoned after reply' },
]

export interface SignalGroup {
  key: string
  label: string
  filter: DrillFilters
  values: SignalValues
}

export function SignalSection(p: {
  id: string
  title: string
  groupHeader: string
  groups: SignalGroup[]
  rate: RateName
  period: Period
}) {
  const router = useRouter()
  const hrefOf = (g: SignalGroup) => drillHref(p.period, g.filter)
  const rateTitle = RATES.find((r) => r.name === p.rate)!.title
  const columns: Column<SignalGroup>[] = [
    { header: p.groupHeader, text: (g) => g.label, csv: (g) => g.key, href: hrefOf },
    {
      header: 'Replies',
      text: (g) => fmtCount(g.values.replies),
      csv: (g) => g.values.replies,
      href: hrefOf,
      numeric: true,
    },
    ...RATES.map((r): Column<SignalGroup> => ({
      header: r.title,
      text: (g) => fmtRatio(g.values[r.name]),
      csv: (g) => g.values[r.name],
      href: hrefOf,
      numeric: true,
    })),
  ]
  return (
    <section
      aria-labelledby={`${p.id}-heading`}
      className="flex flex-col gap-3"
      data-testid={`section-${p.id}`}
    >
      <h2 id={`${p.id}-heading`} className="text-lg font-semibold">
        {p.title}
      </h2>
      <GroupBars
        points={p.groups.map((g) => ({ label: g.label, value: g.values[p.rate] }))}
        label={`${rateTitle} rate by ${p.groupHeader.toLowerCase()}`}
        format={fmtRatio}
        onPick={(i) => p.groups[i] && router.push(hrefOf(p.groups[i]))}
        testId={`chart-${p.id}`}
      />
      <DataTable
        caption={`Signal rates by ${p.groupHeader.toLowerCase()}`}
        rows={p.groups}
        columns={columns}
        rowKey={(g) => g.key}
        csvName={csvName('signals', p.id, p.period.from, p.period.to)}
        testId={`table-${p.id}`}
      />
    </section>
  )
}

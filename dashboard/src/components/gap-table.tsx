'use client'
// One page of the ranked gap queue, as listKnowledgeGaps answers it (already ranked by score),
// each gap with its questions per day over the last 14 days (the API's `trend`) as a sparkline.
import Link from 'next/link'
import { Sparkline } from '@/components/charts'
import type { Schemas } from '@/lib/api'
import { DownloadCsv } from '@/components/data-table'
import { DrillLink } from '@/components/drill-link'
import { csvName, toCsv, type Cell } from '@/lib/csv'
import { gapHref } from '@/lib/drill'
import { fmtCount, fmtDateTime, fmtMoney, fmtRatio } from '@/lib/format'

type Gap = Schemas['KnowledgeGap']

/**
 * A number cell carrying the API's value exactly (data-value), beside its formatted text; linked
 * to the conversations behind it when there are any.
 */
function Num(p: { id: string; value: number | null; href?: string | null; children: React.ReactNode }) {
  return (
    <td className="px-3 py-2 text-right tabular-nums" data-testid={p.id} data-value={String(p.value)}>
      <DrillLink href={p.href}>{p.children}</DrillLink>
    </td>
  )
}

/** The lift the list carries for an accepted gap: answered rate before → after (the API's rates). */
function LiftCell({ gap }: { gap: Gap }) {
  const l = gap.lift
  if (!l?.computedAt) return <td className="px-3 py-2 text-gray-700">not computed yet</td>
  return (
    <td className="px-3 py-2 whitespace-nowrap tabular-nums" data-testid="gap-lift">
      {fmtRatio(l.before?.answeredRate ?? null)} → {fmtRatio(l.after?.answeredRate ?? null)}
    </td>
  )
}

/** Its questions over the last 14 days (the sparkline's points, summed). */
const last14Days = (g: Gap) => g.trend.reduce((n, p) => n + p.questions, 0)

/** A column of the table and the CSV fields it stands for (the API's raw values, not the text shown). */
interface GapColumn {
  head: string
  csv: [name: string, value: (g: Gap) => Cell][]
}

const COLUMNS: GapColumn[] = [
  {
    head: 'Gap and example questions',
    csv: [
      ['id', (g) => g.id],
      ['label', (g) => g.label],
      ['examples', (g) => g.examples.join(' | ')],
    ],
  },
  { head: 'Questions', csv: [['questions', (g) => g.volume]] },
  { head: 'Conversations', csv: [['conversations', (g) => g.conversations]] },
  { head: 'Last 14 days', csv: [['questionsLast14Days', last14Days]] },
  { head: 'Escalations', csv: [['escalations', (g) => g.escalations]] },
  {
    head: 'Escalation cost',
    csv: [
      ['escalationCost', (g) => g.escalationCost],
      ['currency', (g) => g.currency],
    ],
  },
  { head: 'Last asked', csv: [['lastSeenAt', (g) => g.lastSeenAt]] },
  { head: 'Score', csv: [['score', (g) => g.score]] },
]

/** Accepted gaps have one more: their lift. */
const LIFT: GapColumn = {
  head: 'Answered before → after',
  csv: [
    ['answeredRateBefore', (g) => g.lift?.before?.answeredRate ?? null],
    ['answeredRateAfter', (g) => g.lift?.after?.answeredRate ?? null],
  ],
}

/** The rows shown, as the API gave them. */
function gapsCsv(gaps: Gap[], columns: GapColumn[]): string {
  const fields = columns.flatMap((c) => c.csv)
  return toCsv(
    fields.map(([name]) => name),
    gaps.map((g) => fields.map(([, value]) => value(g))),
  )
}

export function GapTable({ gaps, accepted }: { gaps: Gap[]; accepted: boolean }) {
  const columns = accepted ? [...COLUMNS, LIFT] : COLUMNS
  const status = gaps[0]?.status ?? 'open'
  return (
    <div className="flex flex-col gap-2">
      <div className="self-end">
        <DownloadCsv
          name={csvName('knowledge-gaps', status)}
          csv={() => gapsCsv(gaps, columns)}
          label="Download CSV of these gaps"
        />
      </div>
      <div className="overflow-x-auto rounded border border-gray-200 bg-white">
        <table className="min-w-full text-left text-sm" data-testid="gaps">
          <thead className="bg-gray-100 text-gray-800">
            <tr>
              {columns.map(({ head }) => (
                <th key={head} scope="col" className="px-3 py-2 font-medium">
                  {head}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {gaps.map((g) => (
              <tr key={g.id} data-id={g.id} className="border-t border-gray-100 align-top">
                <td className="px-3 py-2">
                  <Link className="font-medium text-blue-800 underline" href={`/gaps/${g.id}`}>
                    {g.label}
                  </Link>
                  <ul
                    className="mt-1 list-disc pl-5 text-gray-700"
                    aria-label={`Questions asked: ${g.label}`}
                  >
                    {g.examples.map((q) => (
                      <li key={q}>{q}</li>
                    ))}
                  </ul>
                </td>
                <Num id="gap-volume" value={g.volume}>
                  {fmtCount(g.volume)}
                </Num>
                <Num id="gap-conversations" value={g.conversations} href={gapHref(g)}>
                  {fmtCount(g.conversations)}
                </Num>
                <td className="px-3 py-2">
                  <Sparkline
                    testId="gap-trend"
                    values={g.trend.map((p) => p.questions)}
                    label={`${fmtCount(last14Days(g))} questions in the last 14 days, ${fmtCount(g.trend.at(-1)?.questions ?? 0)} today`}
                  />
                </td>
                <Num id="gap-escalations" value={g.escalations}>
                  {fmtCount(g.escalations)}
                </Num>
                <Num id="gap-cost" value={g.escalationCost}>
                  {fmtMoney(g.escalationCost, g.currency)}
                </Num>
                <td className="px-3 py-2 whitespace-nowrap">{fmtDateTime(g.lastSeenAt)}</td>
                <Num id="gap-score" value={g.score}>
                  {g.score.toFixed(2)}
                </Num>
                {accepted ? <LiftCell gap={g} /> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

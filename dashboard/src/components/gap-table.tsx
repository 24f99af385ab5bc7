'use client'
// One page of the ranked gap queue, as listKnowledgeGaps answers it (already ranked by score),
// each gap with its questions per day over the last 14 days (the API's `trend`) as a sparkline.
import Link from 'next/link'
import { Sparkline } from '@/components/charts'
import type { Schemas } from '@/lib/api'
import { DownloadCsv } from '@/components/data-table'
import { csvName, toCsv } from '@/lib/csv'
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
      {p.href ? (
        <Link
          className="text-blue-800 underline"
          href={p.href}
          title="See the conversations behind this number"
        >
          {p.children}
        </Link>
      ) : (
        p.children
      )}
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

/** The rows shown, as the API gave them (raw values, not their formatted text). */
function gapsCsv(gaps: Gap[], accepted: boolean): string {
  const header = [
    'id',
    'label',
    'examples',
    'questions',
    'conversations',
    'questionsLast14Days',
    'escalations',
    'escalationCost',
    'currency',
    'lastSeenAt',
    'score',
  ]
  if (accepted) header.push('answeredRateBefore', 'answeredRateAfter')
  return toCsv(
    header,
    gaps.map((g) => [
      g.id,
      g.label,
      g.examples.join(' | '),
      g.volume,
      g.conversations,
      g.trend.reduce((n, p) => n + p.questions, 0),
      g.escalations,
      g.escalationCost,
      g.currency,
      g.lastSeenAt,
      g.score,
      ...(accepted ? [g.lift?.before?.answeredRate ?? null, g.lift?.after?.answeredRate ?? null] : []),
    ]),
  )
}

export function GapTable({ gaps, accepted }: { gaps: Gap[]; accepted: boolean }) {
  const heads = [
    'Gap and example questions',
    'Questions',
    'Conversations',
    'Last 14 days',
    'Escalations',
    'Escalation cost',
    'Last asked',
    'Score',
  ]
  if (accepted) heads.push('Answered before → after')
  const status = gaps[0]?.status ?? 'open'
  return (
    <div className="flex flex-col gap-2">
      <div className="self-end">
        <DownloadCsv
          name={csvName('knowledge-gaps', status)}
          csv={() => gapsCsv(gaps, accepted)}
          label="Download CSV of these gaps"
        />
      </div>
      <div className="overflow-x-auto rounded border border-gray-200 bg-white">
        <table className="min-w-full text-left text-sm" data-testid="gaps">
          <thead className="bg-gray-100 text-gray-800">
            <tr>
              {heads.map((h) => (
                <th key={h} scope="col" className="px-3 py-2 font-medium">
                  {h}
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
                    label={`${fmtCount(g.trend.reduce((n, p) => n + p.questions, 0))} questions in the last 14 days, ${fmtCount(g.trend.at(-1)?.questions ?? 0)} today`}
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

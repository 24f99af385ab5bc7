'use client'
// One page of the ranked gap queue, as listKnowledgeGaps answers it (already ranked by score),
// each gap with its questions per day over the last 14 days (the API's `trend`) as a sparkline.
import Link from 'next/link'
import { Sparkline } from '@/components/charts'
import type { Schemas } from '@/lib/api'
import { fmtCount, fmtDateTime, fmtMoney, fmtRatio } from '@/lib/format'

type Gap = Schemas['KnowledgeGap']

/** A number cell carrying the API's value exactly (data-value), beside its formatted text. */
function Num({ id, value, children }: { id: string; value: number | null; children: React.ReactNode }) {
  return (
    <td className="px-3 py-2 text-right tabular-nums" data-testid={id} data-value={String(value)}>
      {children}
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

export function GapTable({ gaps, accepted }: { gaps: Gap[]; accepted: boolean }) {
  const heads = [
    'Gap and example questions',
    'Questions',
    'Last 14 days',
    'Escalations',
    'Escalation cost',
    'Last asked',
    'Score',
  ]
  if (accepted) heads.push('Answered before → after')
  return (
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
                <ul className="mt-1 list-disc pl-5 text-gray-700" aria-label={`Questions asked: ${g.label}`}>
                  {g.examples.map((q) => (
                    <li key={q}>{q}</li>
                  ))}
                </ul>
              </td>
              <Num id="gap-volume" value={g.volume}>
                {fmtCount(g.volume)}
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
  )
}

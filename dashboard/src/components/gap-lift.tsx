'use client'
// An accepted gap's effect, as getKnowledgeGapLift answers it: the questions that fell in the gap
// in the 30 days before acceptance vs since, answered and resolved. Every number is the API's;
// the panel only formats them (the changes too are the API's answeredRateChange / resolvedRateChange).
import { BeforeAfterBars } from '@/components/charts'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { api, unwrap, type Schemas } from '@/lib/api'
import { fmtCount, fmtDateTime, fmtPoints, fmtRatio } from '@/lib/format'
import { useApi } from '@/lib/use-api'

type Lift = Schemas['KnowledgeGapLift']
type Window = Schemas['KnowledgeGapLiftWindow']

const ROWS: { field: keyof Window; label: string; rate?: boolean }[] = [
  { field: 'questions', label: 'Questions that fell in the gap' },
  { field: 'answered', label: 'Answered (grounded)' },
  { field: 'answeredRate', label: 'Answered rate', rate: true },
  { field: 'closedConversations', label: 'Closed conversations' },
  { field: 'resolvedConversations', label: 'Resolved by the AI' },
  { field: 'resolvedRate', label: 'Resolved rate', rate: true },
]

function Cell({
  w,
  side,
  field,
  rate,
}: {
  w: Window | null
  side: string
  field: keyof Window
  rate?: boolean
}) {
  const v = w ? (w[field] as number | null) : null
  return (
    <td
      className="px-3 py-2 text-right tabular-nums"
      data-testid={`lift-${side}-${field}`}
      data-value={String(v)}
    >
      {rate ? fmtRatio(v) : fmtCount(v)}
    </td>
  )
}

const span = (w: Window | null) => (w ? `${fmtDateTime(w.from)} – ${fmtDateTime(w.to)}` : 'no window')

function LiftTable({ lift }: { lift: Lift }) {
  const change: Partial<Record<keyof Window, number | null>> = {
    answeredRate: lift.answeredRateChange,
    resolvedRate: lift.resolvedRateChange,
  }
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-left text-sm" data-testid="lift-table">
        <thead className="bg-gray-100 text-gray-800">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Measure
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Before <span className="block text-xs font-normal">{span(lift.before)}</span>
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              After <span className="block text-xs font-normal">{span(lift.after)}</span>
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map((r) => (
            <tr key={r.field} className="border-t border-gray-100">
              <th scope="row" className="px-3 py-2 font-normal">
                {r.label}
              </th>
              <Cell w={lift.before} side="before" field={r.field} rate={r.rate} />
              <Cell w={lift.after} side="after" field={r.field} rate={r.rate} />
              <td
                className="px-3 py-2 text-right tabular-nums"
                data-testid={r.field in change ? `lift-change-${r.field}` : undefined}
                data-value={r.field in change ? String(change[r.field]) : undefined}
              >
                {r.field in change ? fmtPoints(change[r.field] ?? null) : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The lift panel of one gap; `version` changes when the gap does (an acceptance reloads it). */
export function GapLift({ id, version }: { id: string; version: string }) {
  const lift = useApi(`${id}/${version}`, async () =>
    unwrap(await api.GET('/api/v1/analytics/knowledge-gaps/{id}/lift', { params: { path: { id } } })),
  )
  return (
    <section
      aria-labelledby="lift-title"
      className="flex flex-col gap-3 rounded border border-gray-200 bg-white p-4"
      data-testid="lift"
    >
      <h2 id="lift-title" className="text-lg font-semibold">
        Effect of the answer
      </h2>
      {lift.state === 'loading' ? <Loading what="the effect" /> : null}
      {lift.state === 'error' ? <ErrorNote error={lift.error} /> : null}
      {lift.state === 'ok' && !lift.data.acceptedAt ? (
        <Empty>Not accepted: there is nothing to compare.</Empty>
      ) : null}
      {lift.state === 'ok' && lift.data.acceptedAt && !lift.data.computedAt ? (
        <Empty>
          Accepted {fmtDateTime(lift.data.acceptedAt)}; the pipelines measure the effect on their next run.
        </Empty>
      ) : null}
      {lift.state === 'ok' && lift.data.acceptedAt && lift.data.computedAt ? (
        <>
          <p className="text-sm text-gray-700">
            Accepted {fmtDateTime(lift.data.acceptedAt)} · measured {fmtDateTime(lift.data.computedAt)}
          </p>
          <LiftTable lift={lift.data} />
          <BeforeAfterBars
            label="Rates before and after acceptance"
            points={[
              {
                measure: 'answered rate',
                before: lift.data.before?.answeredRate ?? null,
                after: lift.data.after?.answeredRate ?? null,
              },
              {
                measure: 'resolved rate',
                before: lift.data.before?.resolvedRate ?? null,
                after: lift.data.after?.resolvedRate ?? null,
              },
            ]}
          />
        </>
      ) : null}
    </section>
  )
}

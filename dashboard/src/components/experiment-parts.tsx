'use client'
// One experiment's results: the decision as the stop rule reads now, the variants with their
// posteriors (each count linked to its conversations), and the traffic-weight history.
import { useState } from 'react'
import { StepLines } from '@/components/charts'
import { DataTable, type Column } from '@/components/data-table'
import { ErrorNote } from '@/components/states'
import { api, ApiError, unwrap, type Schemas } from '@/lib/api'
import { csvName } from '@/lib/csv'
import { drillHref } from '@/lib/drill'
import { fmtCount, fmtDateTime, fmtRatio } from '@/lib/format'
import type { Period } from '@/lib/period'

type Results = Schemas['ExperimentResults']
type Variant = Results['variants'][number]
type Change = Results['history'][number]

const num = (v: number | null, digits = 3) =>
  v === null ? '—' : new Intl.NumberFormat(undefined, { maximumFractionDigits: digits }).format(v)
const evidence = (bf: number) => (bf >= 1e6 ? bf.toExponential(1) : num(bf, 2))

export function Decision({ r }: { r: Results }) {
  const d = r.decision
  const label = (id: string | null) => r.variants.find((v) => v.id === id)?.label ?? '—'
  const state =
    r.status === 'completed'
      ? `Completed: variant ${label(r.winnerVariantId)} won; the agent now uses its prompt.`
      : r.status === 'stopped'
        ? 'Stopped by a person: traffic no longer moves and the agent keeps its own prompt.'
        : !d.sampleReached
          ? `Running: waiting for ${d.minSamplePerVariant} closed conversations per variant before traffic moves.`
          : d.evidenceReached
            ? `Running: variant ${label(d.leaderVariantId)} has reached the bar; the pipelines' next run declares it the winner.`
            : `Running: variant ${label(d.leaderVariantId)} leads; no winner until its evidence reaches the bar.`
  return (
    <section
      aria-labelledby="decision-heading"
      className="flex flex-col gap-2 rounded border border-gray-200 bg-white p-4"
      data-testid="decision"
    >
      <h2 id="decision-heading" className="text-lg font-semibold">
        Decision
      </h2>
      <p data-testid="decision-state">{state}</p>
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-gray-700">Leader</dt>
          <dd className="font-medium">{label(d.leaderVariantId)}</dd>
        </div>
        <div>
          <dt className="text-gray-700">Evidence (Bayes factor)</dt>
          <dd className="font-medium" data-value={d.evidence}>
            {evidence(d.evidence)}
          </dd>
        </div>
        <div>
          <dt className="text-gray-700">Bar to win</dt>
          <dd className="font-medium">{num(d.bar)}</dd>
        </div>
        <div>
          <dt className="text-gray-700">Minimum sample reached</dt>
          <dd className="font-medium">
            {d.sampleReached ? 'yes' : `no (${d.minSamplePerVariant} per variant)`}
          </dd>
        </div>
      </dl>
      <p className="text-xs text-gray-700">
        Stop rule: the unguarded variant with the highest posterior mean wins when its Bayes factor against
        every other variant reaches the bar (20 × pairs of variants): at most 5 % false winners however often
        the pipelines look. Last change: {d.lastReason ?? 'none yet (equal split)'}.
      </p>
    </section>
  )
}

export function VariantTable({ r, period }: { r: Results; period: Period }) {
  const all = (v: Variant) => drillHref(period, { variantId: v.id })
  const columns: Column<Variant>[] = [
    { header: 'Variant', text: (v) => v.label, href: all },
    // No link: the report has no "closed" filter, and a list with open conversations would not add up.
    { header: 'Closed', text: (v) => fmtCount(v.posterior.n), csv: (v) => v.posterior.n, numeric: true },
    {
      header: 'Resolved',
      text: (v) => fmtCount(v.resolved),
      csv: (v) => v.resolved,
      href: (v) => drillHref(period, { variantId: v.id, resolved: 'true' }),
      numeric: true,
    },
    {
      header: 'Posterior mean',
      text: (v) => fmtRatio(v.posterior.mean),
      csv: (v) => v.posterior.mean,
      numeric: true,
    },
    { header: 'Beta(α, β)', text: (v) => `Beta(${v.posterior.alpha}, ${v.posterior.beta})` },
    {
      header: 'P(best)',
      text: (v) => fmtRatio(v.posterior.pBest),
      csv: (v) => v.posterior.pBest,
      numeric: true,
    },
    { header: 'CSAT', text: (v) => num(v.csat, 2), csv: (v) => v.csat, numeric: true },
    {
      header: 'Escalation rate',
      text: (v) => fmtRatio(v.escalationRate),
      csv: (v) => v.escalationRate,
      numeric: true,
    },
    {
      header: 'Traffic weight',
      text: (v) => (v.weight === null ? 'equal split' : fmtRatio(v.weight)),
      csv: (v) => v.weight,
      numeric: true,
    },
    { header: 'Guard', text: (v) => v.guard ?? '—', csv: (v) => v.guard },
  ]
  return (
    <DataTable
      caption="Variants: posterior on resolution over closed conversations"
      rows={r.variants}
      columns={columns}
      rowKey={(v) => v.id}
      csvName={csvName('experiment', r.name, 'variants')}
      testId="variants"
    />
  )
}

export function WeightHistory({ r }: { r: Results }) {
  const changes = [...r.history].reverse()
  const rows = changes.map((h, i) => ({
    x: fmtDateTime(h.at),
    ...Object.fromEntries(r.variants.map((v) => [v.id, v.weightHistory[i]?.weight ?? null])),
  }))
  const columns: Column<Change>[] = [
    { header: 'When', text: (h) => fmtDateTime(h.at), csv: (h) => h.at },
    ...r.variants.map((v): Column<Change> => ({
      header: `Weight ${v.label}`,
      text: (h) => fmtRatio(h.weights[v.id] ?? null),
      csv: (h) => h.weights[v.id] ?? null,
      numeric: true,
    })),
    { header: 'Reason', text: (h) => h.reason },
  ]
  return (
    <section aria-labelledby="history-heading" className="flex flex-col gap-3">
      <h2 id="history-heading" className="text-lg font-semibold">
        Traffic-weight history
      </h2>
      {changes.length === 0 ? (
        <p className="text-sm text-gray-700" data-testid="no-history">
          No change yet: the engine splits traffic equally until every variant has the minimum sample.
        </p>
      ) : (
        <>
          {changes.length > 1 ? (
            <StepLines
              rows={rows}
              series={r.variants.map((v) => ({ key: v.id, name: v.label }))}
              label="Traffic weight per variant"
              format={fmtRatio}
              domain={[0, 1]}
            />
          ) : null}
          <DataTable
            caption="Every weight change, oldest first"
            rows={changes}
            columns={columns}
            rowKey={(h) => h.at + h.reason}
            csvName={csvName('experiment', r.name, 'weights')}
            testId="history"
          />
        </>
      )}
    </section>
  )
}

/** Stop (admin): two clicks, since a stopped experiment cannot be resumed. */
export function StopButton({ id, onStopped }: { id: string; onStopped: () => void }) {
  const [armed, setArmed] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  async function stop() {
    try {
      unwrap(await api.POST('/api/v1/experiments/{id}/stop', { params: { path: { id } } }))
      onStopped()
    } catch (e) {
      setError(
        e instanceof ApiError ? e : new ApiError(0, 'unavailable', 'The dashboard could not reach the API'),
      )
    }
  }
  return (
    <div className="flex flex-col items-end gap-2">
      {armed ? (
        <div className="flex items-center gap-2 text-sm">
          <span>Stop for good? The agent keeps its own prompt.</span>
          <button
            type="button"
            onClick={stop}
            className="rounded bg-rose-700 px-3 py-1 font-medium text-white"
          >
            Confirm stop
          </button>
          <button
            type="button"
            onClick={() => setArmed(false)}
            className="rounded border border-gray-300 px-3 py-1"
          >
            Cancel
          </button>
        </div>
      ) : (
        <button
          type="button"
          onClick={() => setArmed(true)}
          className="rounded border border-rose-700 px-3 py-1 text-sm text-rose-800"
        >
          Stop experiment
        </button>
      )}
      {error ? <ErrorNote error={error} /> : null}
    </div>
  )
}

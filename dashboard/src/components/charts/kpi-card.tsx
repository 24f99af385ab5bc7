'use client'
// One headline number: its value, its change against the previous period and its trend. Tremor's
// Card gives the frame; only this folder knows Tremor, so replacing it touches nothing else.
import { Card } from '@tremor/react'
import { fmtChange } from '@/lib/format'
import { DrillLink } from '@/components/drill-link'
import type { PickHandler } from './pick'
import { TrendChart, type TrendPoint } from './trend-chart'

export interface KpiCardProps {
  /** Stable id for tests and links, e.g. `net_roi` (the API's measure name). */
  id: string
  title: string
  /** The API's number, exactly; `display` is its formatted text. */
  value: number | null
  display: string
  /** Relative change vs the previous period (null: no baseline). */
  change: number | null
  /** Whether a rise is good news (costs: no). */
  increaseIsGood?: boolean
  trend?: TrendPoint[]
  note?: string
  /** The conversations behind the number (the report with the same period and filters). */
  href?: string
  /** A click on a trend bucket (the screen links it to that bucket's conversations). */
  onPickTrend?: PickHandler
}

function ChangeBadge({ change, increaseIsGood }: { change: number | null; increaseIsGood: boolean }) {
  if (change === null) return <span className="text-xs text-gray-600">no previous period to compare</span>
  const good = change === 0 ? null : change > 0 === increaseIsGood
  const tone =
    good === null
      ? 'bg-gray-100 text-gray-800'
      : good
        ? 'bg-emerald-100 text-emerald-800'
        : 'bg-rose-100 text-rose-800'
  return (
    <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${tone}`}>
      {fmtChange(change)} vs previous period
    </span>
  )
}

export function KpiCard(p: KpiCardProps) {
  return (
    <Card className="flex flex-col gap-2" data-testid={`kpi-${p.id}`}>
      <h2 className="text-sm font-medium text-gray-700">{p.title}</h2>
      <p
        // A phrase ("needs a judge model") in place of a number reads better smaller.
        className={`${p.value === null && p.display.length > 3 ? 'text-xl' : 'text-3xl'} font-semibold text-gray-900`}
        data-value={p.value === null ? 'null' : String(p.value)}
      >
        <DrillLink href={p.href} className="hover:underline">
          {p.display}
        </DrillLink>
      </p>
      <ChangeBadge change={p.change} increaseIsGood={p.increaseIsGood ?? true} />
      {p.note ? <p className="text-xs text-gray-600">{p.note}</p> : null}
      {p.trend && p.trend.length > 1 ? (
        <TrendChart points={p.trend} label={p.title} onPick={p.onPickTrend} testId={`trend-${p.id}`} />
      ) : null}
    </Card>
  )
}

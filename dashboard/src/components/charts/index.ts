// The only door to charts and cards: screens import from here, never from Tremor or Recharts.
export { BeforeAfterBars, type BeforeAfterPoint } from './before-after-bars'
export { KpiCard, type KpiCardProps } from './kpi-card'
export { TrendChart, type TrendPoint } from './trend-chart'
export { QuartileStrip, type QuartileStripProps } from './quartile-strip'
export { GroupBars, type GroupPoint } from './group-bars'
export { type PickHandler } from './pick'
export { StepLines, type StepSeries } from './step-lines'
export { Sparkline, type SparklineProps } from './sparkline'

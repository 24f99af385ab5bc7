// A click on a chart names the point under the pointer by its index in the data (Recharts 3 passes
// `activeTooltipIndex`, a number or its string); the screen turns it into a link.
export type PickHandler = (index: number) => void

export function pickedIndex(state: { activeTooltipIndex?: unknown } | null | undefined): number | null {
  const i = Number(state?.activeTooltipIndex)
  return state?.activeTooltipIndex === undefined || state.activeTooltipIndex === null || !Number.isInteger(i)
    ? null
    : i
}

import { parseReplyStyle, type ReplyStyle } from '@luneo/models'
import type { RunningVariant } from '@luneo/warehouse'

export interface ChosenVariant {
  experimentId: string
  variantId: string
  label: string
  template: string
  style: ReplyStyle | undefined
}

/**
 * Picks a variant by the traffic weights in the tuning state (written by the pipelines).
 * Variants without a decision yet share the traffic equally; `random` is injectable for tests.
 */
export function chooseVariant(
  variants: RunningVariant[],
  random: () => number = Math.random,
): ChosenVariant | null {
  if (variants.length === 0) return null
  const decided = variants.some((v) => v.weight !== null)
  const weights = variants.map((v) => (decided ? Math.max(0, v.weight ?? 0) : 1))
  const total = weights.reduce((a, b) => a + b, 0)
  let r = random() * (total > 0 ? total : variants.length)
  for (let i = 0; i < variants.length; i++) {
    r -= total > 0 ? weights[i]! : 1
    if (r < 0) return pick(variants[i]!)
  }
  return pick(variants[variants.length - 1]!)
}

const pick = (v: RunningVariant): ChosenVariant => ({
  experimentId: v.experiment_id,
  variantId: v.variant_id,
  label: v.label,
  template: v.template,
  style: parseReplyStyle(v.style),
})

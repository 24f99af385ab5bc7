import type { Usage } from './types.js'

/** USD per one million tokens. */
export interface ModelPrice {
  input: number
  output: number
}

export type PriceTable = Record<string, ModelPrice>

// Public list prices (USD / 1M tokens, standard tier) from openai.com/api/pricing, 2025.
// Override per organisation by passing a table: contracts and self-hosted models differ.
export const priceTable: PriceTable = {
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  o3: { input: 2, output: 8 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  local: { input: 0, output: 0 },
}

/**
 * Find a model's price: exact name, else the longest table key it starts with (dated snapshots
 * like "gpt-4o-mini-2024-07-18"), else the table's "*" entry. Unknown models throw rather than
 * silently cost 0, which would inflate ROI.
 */
export function findPrice(model: string, table: PriceTable = priceTable): ModelPrice {
  const exact = table[model]
  if (exact) return exact
  const prefix = Object.keys(table)
    .filter((k) => k !== '*' && model.startsWith(k))
    .sort((a, b) => b.length - a.length)[0]
  const found = prefix !== undefined ? table[prefix] : table['*']
  if (!found) throw new Error(`no price for model "${model}"; pass a price table with it or a "*" entry`)
  return found
}

/** Cost in USD of one call's usage. */
export function costUsd(model: string, usage: Usage, table: PriceTable = priceTable): number {
  const p = findPrice(model, table)
  return (usage.promptTokens * p.input + usage.completionTokens * p.output) / 1_000_000
}

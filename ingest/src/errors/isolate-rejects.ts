import { classifyError, type ErrorClass } from './classify.js'

/** A row the store refused on its own, with the store's error. */
export interface Rejected<T> {
  item: T
  error: unknown
}

/**
 * Writes `items` with `write`. When the store rejects the write for an invalid row (a
 * `dead_letter`-class error), splits the batch in halves and writes each, down to single rows:
 * the valid rows are written, the invalid ones returned with the store's reason. k bad rows among
 * n cost about 2·k·log2(n) extra writes, paid only when a batch holds a bad row. A `retry` or
 * `crash` error is thrown as it is; halves already written are skipped on the retry (the writer
 * is idempotent on event id, ADR 0003).
 */
export async function writeIsolatingRejects<T>(
  items: T[],
  write: (items: T[]) => Promise<void>,
  classify: (err: unknown) => ErrorClass = classifyError,
): Promise<Rejected<T>[]> {
  if (items.length === 0) return []
  try {
    await write(items)
    return []
  } catch (error) {
    if (classify(error) !== 'dead_letter') throw error
    if (items.length === 1) return [{ item: items[0]!, error }]
  }
  // Halves in order, so the valid rows still reach the store in the order they came.
  const mid = Math.ceil(items.length / 2)
  const left = await writeIsolatingRejects(items.slice(0, mid), write, classify)
  const right = await writeIsolatingRejects(items.slice(mid), write, classify)
  return [...left, ...right]
}

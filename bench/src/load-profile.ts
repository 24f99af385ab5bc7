import { join } from 'node:path'
import type { LoadOptions } from './load.js'
import { repoRoot } from './spawn-server.js'

/** Settings shared by every measurement of one run, so the figures compare like with like. */
export interface RunSettings {
  databaseUrl: string
  connections: number
  warmupSec: number
  durationSec: number
  /** Slices of an alternating A/B measurement (bench/src/load.ts). */
  rounds: number
  /** Where each child's output goes (`<name>.log`). */
  logDir: string
}

export const defaultLogDir = join(repoRoot, '.tmp', 'bench')

/**
 * The body of the i-th request, identical for the bare route and the API: a conversation on an
 * agent with a contact. Contacts cycle over 5,000 addresses, so the first pass inserts them and
 * later ones find them (the API's upsert then reads without writing), and 20 concurrent requests
 * never touch the same contact row.
 */
export const conversationBody = (agentId: string) => (i: number) => ({
  agentId,
  channel: 'api',
  contact: { email: `customer-${i % 5000}@example.com`, name: 'Bench Customer' },
})

export function loadOptions(
  s: RunSettings,
  url: string,
  path: string,
  rest: Pick<LoadOptions, 'body' | 'headers' | 'serverPid'>,
): LoadOptions {
  return {
    url,
    path,
    connections: s.connections,
    warmupSec: s.warmupSec,
    durationSec: s.durationSec,
    ...rest,
  }
}

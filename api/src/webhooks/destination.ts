import { isIP } from 'node:net'
import { isInternalAddress } from '../net/internal-address.js'

// Names that only mean something inside a network: a cluster's services, cloud metadata, mDNS.
const INTERNAL_SUFFIXES = [
  '.localhost',
  '.internal',
  '.local',
  '.svc',
  '.cluster.local',
  '.lan',
  '.home.arpa',
]

/**
 * Whether a webhook URL names a destination inside our own network, judged on the URL as saved:
 * early, clear feedback for the admin. It is not the guard — a public name can resolve inside —
 * the guard is at connect time on the address dialled (`net/outbound.ts`).
 */
export function isInternalDestination(url: string): boolean {
  // "localhost." and "metadata.google.internal." are the same hosts as without the final dot.
  const host = new URL(url).hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.+$/, '')
  if (isIP(host)) return isInternalAddress(host)
  // A bare name ("clickhouse", "kafka") resolves through the cluster's search domains.
  if (!host.includes('.')) return true
  return INTERNAL_SUFFIXES.some((s) => host.endsWith(s))
}

import { isIP } from 'node:net'

/**
 * Whether a webhook URL points inside our own network: loopback, private, link-local (cloud
 * metadata at 169.254.169.254), unique-local IPv6, or a local hostname. In production such URLs
 * are refused, so a tenant cannot make the platform call its internal services (SSRF). A hostname
 * that resolves to a private address later is not caught here (DNS rebinding): see operations.md.
 */
export function isInternalDestination(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.internal') ||
    host.endsWith('.local')
  )
    return true
  const version = isIP(host)
  if (version === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number]
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    )
  }
  if (version === 6)
    return (
      host === '::1' ||
      host === '::' ||
      host.startsWith('fc') ||
      host.startsWith('fd') ||
      host.startsWith('fe80') ||
      host.startsWith('::ffff:')
    )
  return false
}

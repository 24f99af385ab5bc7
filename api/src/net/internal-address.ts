import { BlockList, isIP } from 'node:net'

// Addresses a tenant-configured URL must never reach from inside our network: loopback,
// private, carrier-grade NAT, link-local (cloud metadata 169.254.169.254), unique-local and
// link-local IPv6, multicast, reserved and documentation ranges. IPv6 forms that carry an IPv4
// address (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by that address.

const v4 = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  v4.addSubnet(net, prefix, 'ipv4')

const v6 = new BlockList()
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::', 96], // IPv4-compatible (deprecated)
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link local
  ['fec0::', 10], // site local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  v6.addSubnet(net, prefix, 'ipv6')

/** The eight 16-bit groups of an IPv6 address (dotted IPv4 tails included). */
function hextets(ip: string): number[] {
  let s = ip.toLowerCase().split('%')[0]!
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s)
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number]
    s = `${s.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = s.split('::') as [string, string | undefined]
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
  return groups.map((g) => parseInt(g || '0', 16))
}

const dottedOf = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`

/** The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4), if any. */
function embeddedV4(ip: string): string | null {
  const g = hextets(ip)
  if (g.length !== 8) return null
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return dottedOf(g[6]!, g[7]!)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return dottedOf(g[6]!, g[7]!)
  if (g[0] === 0x2002) return dottedOf(g[1]!, g[2]!)
  return null
}

/** Whether an IP address (v4 or v6) is one a tenant's URL must not reach. Not an IP: false. */
export function isInternalAddress(ip: string): boolean {
  const version = isIP(ip)
  if (version === 4) return v4.check(ip, 'ipv4')
  if (version !== 6) return false
  const inner = embeddedV4(ip)
  if (inner) return v4.check(inner, 'ipv4')
  return v6.check(ip.split('%')[0]!, 'ipv6')
}

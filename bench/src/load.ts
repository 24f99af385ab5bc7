import autocannon, { type Result } from 'autocannon'
import { cpuSeconds } from './spawn-server.js'

/** One bounded load measurement: throughput and latency of 2xx answers. */
export interface Measurement {
  reqPerSec: number
  p50Ms: number
  p99Ms: number
  /** 2xx answers during the measurement, and during the warm-up before it. */
  requests: number
  warmupRequests: number
  /** CPU time of the server process per answered request (warm-up included), ms; NaN without a pid. */
  serverCpuMsPerReq: number
}

export interface LoadOptions {
  url: string
  path: string
  headers?: Record<string, string>
  /** Builds the JSON body of the i-th request (a fresh one per request). */
  body: (i: number) => unknown
  connections: number
  warmupSec: number
  durationSec: number
  /** The server's pid, to charge its CPU time to the requests (Linux /proc). */
  serverPid?: number
}

function check(label: string, r: Result): void {
  if (r.non2xx > 0 || r.errors > 0) {
    throw new Error(
      `${label}: ${r.non2xx} non-2xx answers, ${r.errors} errors (${r.timeouts} timeouts), codes ${JSON.stringify(r.statusCodeStats)}`,
    )
  }
}

interface Fired {
  result: Result
  /** Latencies of the 2xx answers, ms, sorted. */
  latencies: Float64Array
}

/** The q-quantile (nearest rank) of sorted samples. */
export const quantile = (sorted: Float64Array, q: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!

async function fire(o: LoadOptions, durationSec: number, next: () => number): Promise<Fired> {
  // autocannon's own histogram keeps whole milliseconds; the bare route answers in about one, so
  // we keep every 2xx latency (a few hundred thousand doubles at most) and rank them ourselves.
  const samples: number[] = []
  const instance = autocannon({
    url: o.url,
    connections: o.connections,
    duration: durationSec,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: o.path,
        headers: { 'content-type': 'application/json', ...o.headers },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(o.body(next())) }),
      },
    ],
  })
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) samples.push(ms)
  })
  const result = await instance
  return { result, latencies: Float64Array.from(samples).sort() }
}

interface Side {
  o: LoadOptions
  next: () => number
  samples: Float64Array[]
  ok: number
  sec: number
  warm: number
  cpu0: number
}

async function round(label: string, side: Side, sec: number): Promise<void> {
  const { result: r, latencies } = await fire(side.o, sec, side.next)
  check(label, r)
  side.samples.push(latencies)
  side.ok += r['2xx']
  side.sec += r.duration
}

function summarize(side: Side): Measurement {
  const all = new Float64Array(side.samples.reduce((n, a) => n + a.length, 0))
  side.samples.reduce((at, a) => (all.set(a, at), at + a.length), 0)
  all.sort()
  const pid = side.o.serverPid
  return {
    reqPerSec: side.ok / side.sec,
    p50Ms: quantile(all, 0.5),
    p99Ms: quantile(all, 0.99),
    requests: side.ok,
    warmupRequests: side.warm,
    serverCpuMsPerReq:
      pid === undefined ? NaN : ((cpuSeconds(pid) - side.cpu0) * 1000) / (side.ok + side.warm),
  }
}

/**
 * Warms each server up, then loads them in turn, A B B A A B…, `rounds` slices of
 * `durationSec / rounds` each: a neighbour's burst on a shared machine then hits both sides
 * alike, which one 10 s run after the other cannot promise. Any non-2xx answer or socket error
 * fails the measurement: a throughput that counts errors would flatter the server.
 */
export async function measureAlternating(
  label: string,
  sides: LoadOptions[],
  rounds: number,
): Promise<Measurement[]> {
  const state: Side[] = []
  for (const o of sides) {
    let i = 0
    const side: Side = { o, next: () => i++, samples: [], ok: 0, sec: 0, warm: 0, cpu0: 0 }
    side.cpu0 = o.serverPid === undefined ? 0 : cpuSeconds(o.serverPid)
    const w = (await fire(o, o.warmupSec, side.next)).result
    check(`${label} (warm-up)`, w)
    side.warm = w['2xx']
    state.push(side)
  }
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? state : [...state].reverse()
    for (const side of order) await round(label, side, side.o.durationSec / rounds)
  }
  return state.map(summarize)
}

/** Warms the server up, then measures it for `durationSec`. */
export async function measure(label: string, o: LoadOptions): Promise<Measurement> {
  const [m] = await measureAlternating(label, [o], 1)
  return m!
}

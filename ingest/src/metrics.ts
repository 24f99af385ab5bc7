// Small in-process metrics: the relay and sink expose numbers as getters, and the CLI renders them
// in Prometheus text format. No prom-client here: ingest stays free of a metrics registry, and the
// api (which has one) can wrap these getters in its own gauges.

/** The last `size` observations, for p50/p99 of a latency without unbounded memory. */
export class LatencyWindow {
  readonly #values: number[] = []
  readonly #size: number
  #count = 0
  #sum = 0

  constructor(size = 1024) {
    this.#size = size
  }

  observe(ms: number): void {
    this.#values[this.#count % this.#size] = ms
    this.#count += 1
    this.#sum += ms
  }

  get count(): number {
    return this.#count
  }

  get sum(): number {
    return this.#sum
  }

  /** Quantile over the window (q in [0, 1]); 0 when nothing was observed. */
  quantile(q: number): number {
    if (this.#values.length === 0) return 0
    const sorted = [...this.#values].sort((a, b) => a - b)
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  }
}

export interface Sample {
  name: string
  help: string
  type: 'gauge' | 'counter'
  values: { labels?: Record<string, string | number>; value: number }[]
}

/** Prometheus text exposition (version 0.0.4) of some samples. */
export function renderPrometheus(samples: Sample[]): string {
  const lines: string[] = []
  for (const s of samples) {
    lines.push(`# HELP ${s.name} ${s.help}`, `# TYPE ${s.name} ${s.type}`)
    for (const v of s.values) {
      const labels = Object.entries(v.labels ?? {})
        .map(([k, x]) => `${k}="${String(x).replace(/["\\\n]/g, '_')}"`)
        .join(',')
      lines.push(`${s.name}${labels ? `{${labels}}` : ''} ${v.value}`)
    }
  }
  return lines.join('\n') + '\n'
}

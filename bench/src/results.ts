import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import type { Measurement } from './load.js'

/** One printed figure: `BENCH <name> <value> <unit>`. Ratios have unit `x`. */
export interface Figure {
  name: string
  value: number
  unit: string
}

/** Collects figures, printing each as it is known, so a run cut short still shows what it measured. */
export function openFigures() {
  const figures: Figure[] = []
  const emit = (name: string, value: number, unit: string): void => {
    const rounded = Number(value.toFixed(unit === 'req/s' ? 0 : unit === 'ms' ? 3 : 2))
    figures.push({ name, value: rounded, unit })
    console.log(`BENCH ${name} ${rounded} ${unit}`)
  }
  return {
    figures,
    emit,
    /** A load measurement's four figures: `<prefix>_req_per_sec`, `_p50_ms`, `_p99_ms`, `_server_cpu_per_req`. */
    latency(prefix: string, m: Measurement): void {
      emit(`${prefix}_req_per_sec`, m.reqPerSec, 'req/s')
      emit(`${prefix}_p50_ms`, m.p50Ms, 'ms')
      emit(`${prefix}_p99_ms`, m.p99Ms, 'ms')
      emit(`${prefix}_server_cpu_per_req`, m.serverCpuMsPerReq, 'ms')
    },
    /** Writes every figure with the settings and machine they were measured on. */
    write(path: string, settings: Record<string, unknown>, wallSec: number): void {
      const machine = {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        platform: process.platform,
      }
      const doc = {
        measuredAt: new Date().toISOString(),
        wallSec: Number(wallSec.toFixed(1)),
        machine,
        settings,
        figures,
      }
      writeFileSync(path, JSON.stringify(doc, null, 2) + '\n')
    },
  }
}

export type Figures = ReturnType<typeof openFigures>

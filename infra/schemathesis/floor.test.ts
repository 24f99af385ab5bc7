import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

// floor.py decides whether a Schemathesis pass counts (infra/schemathesis/run.sh): it must fail on
// an operation that ran too few cases, one that never got past authentication, and one that ran
// in no pass — and pass a report that has none of these.

const dir = mkdtempSync(join(tmpdir(), 'luneo-floor-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const spec = join(dir, 'openapi.json')
writeFileSync(
  spec,
  JSON.stringify({
    paths: { '/api/v1/agents': { get: {}, post: {} }, '/api/v1/agents/{id}': { get: {} } },
  }),
)

/** One ScenarioFinished per operation: each status one answered case ([status, method] to send another method). */
function report(name: string, ops: Record<string, (number | [number, string])[]>): string {
  const lines = Object.entries(ops).map(([label, statuses]) => {
    const interactions = Object.fromEntries(
      statuses.map((s, i) => {
        const [status, method] = typeof s === 'number' ? [s, label.split(' ')[0]] : s
        return [`c${i}`, { request: { method }, response: { status_code: status } }]
      }),
    )
    return JSON.stringify({ ScenarioFinished: { phase: 'fuzzing', recorder: { label, interactions } } })
  })
  const path = join(dir, `${name}.ndjson`)
  writeFileSync(path, [JSON.stringify({ Initialize: {} }), ...lines].join('\n') + '\n')
  return path
}

function floor(path: string, floorN: number) {
  const r = spawnSync('python3', [
    'infra/schemathesis/floor.py',
    path,
    '--pass',
    'key',
    '--floor',
    String(floorN),
    '--expect',
    spec,
  ])
  return { status: r.status, stderr: r.stderr.toString() }
}

const ok = Array.from({ length: 10 }, (_, i) => (i % 2 ? 200 : 400))

describe('the Schemathesis floor', () => {
  it('passes when every operation ran its floor and got past authentication', () => {
    const r = floor(
      report('ok', { 'GET /api/v1/agents': ok, 'POST /api/v1/agents': ok, 'GET /api/v1/agents/{id}': ok }),
      10,
    )
    expect(r.stderr).toContain('3 operations, 30 cases answered, floor 10')
    expect(r.status).toBe(0)
  })

  it('fails on too few cases, on an operation that only met 401/403, and on one that never ran', () => {
    const r = floor(
      report('bad', {
        'GET /api/v1/agents': ok.slice(0, 9),
        'POST /api/v1/agents': Array.from({ length: 10 }, () => 401),
      }),
      10,
    )
    expect(r.stderr).toContain('GET /api/v1/agents: 9 cases run, floor 10')
    expect(r.stderr).toContain('POST /api/v1/agents: every case answered 401/403, and no reason given')
    expect(r.stderr).toContain('GET /api/v1/agents/{id}: not run in the key pass, and no reason given')
    expect(r.status).toBe(1)
  })

  it("does not count the coverage phase's other methods (OPTIONS, 405) as getting past authentication", () => {
    const r = floor(
      report('methods', {
        'GET /api/v1/agents': ok,
        'GET /api/v1/agents/{id}': ok,
        'POST /api/v1/agents': [...Array.from({ length: 9 }, () => 403), [204, 'OPTIONS'], [405, 'PUT']],
      }),
      10,
    )
    expect(r.stderr).toContain('POST /api/v1/agents: every case answered 401/403')
    expect(r.status).toBe(1)
  })
})

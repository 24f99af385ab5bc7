// Where the analytics reads' time goes at scale, query by query (issue 12's estimate for 100M events).
// Opens a `make bench-scale` data dir in this process (the real stores and the real app, no port),
// signs in as the largest and the median tenant, asks every endpoint once while recording the
// ClickHouse queries the API sends, then for each query: what its primary key lets it read
// (`EXPLAIN indexes = 1`: granules selected of the table's total, 8,192 rows a granule) and how long
// chDB takes to answer it alone (median of 5). A growth of "selected" with the tenant's rows and not
// with the table's is what lets the 10M figures be carried to 100M on paper.
//
// Run by bench/src/scale.ts after the API it measured has stopped (one process owns a data dir):
// `node --import tsx bench/src/scale-plans.ts <data dir> <figure prefix> <out.json>`; the figures go
// to <out.json> for the driver to print, the per-query table to stderr, every query with its
// parameters to <out>-queries.json.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildApp, loadConfig, openStores } from '@luneo/api'
import type { DataSetSummary } from './generate/generate.js'
import { BENCH_OWNER_PASSWORD } from './generate/cli.js'
import type { Figure } from './results.js'
import { granulesOf, scaleApiEnv, scaleEndpoints, scaleTenants } from './scale-endpoints.js'

interface Sent {
  query: string
  params: Record<string, unknown>
}

async function main(): Promise<void> {
  const [dir, prefix, outFile] = process.argv.slice(2)
  if (!dir || !prefix || !outFile)
    throw new Error('usage: scale-plans.ts <data dir> <figure prefix> <out.json>')
  const d = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as DataSetSummary
  const config = loadConfig({
    ...process.env,
    ...scaleApiEnv(dir, { server: false, pipelinesIntervalMs: '0', logLevel: 'silent' }),
    LUNEO_DRAINER: 'false',
  })
  const stores = await openStores(config)
  const ch = stores.deps.ch
  let sent: Sent[] = []
  const query = ch.query.bind(ch) as (p: Record<string, unknown>) => ReturnType<typeof ch.query>
  ch.query = (p: { query: string; query_params?: Record<string, unknown> }) => {
    sent.push({ query: p.query, params: p.query_params ?? {} })
    return query(p)
  }
  const app = await buildApp(stores.deps)
  const figures: Figure[] = []
  const queries: (Sent & { who: string; endpoint: string; ms: number; granules: string })[] = []
  const emit = (name: string, value: number, unit: string) =>
    figures.push({ name: `${prefix}_${name}`, value: Number(value.toFixed(unit === 'ms' ? 3 : 0)), unit })
  try {
    for (const [who, tenant] of scaleTenants(d)) {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: tenant.email, password: BENCH_OWNER_PASSWORD },
      })
      if (login.statusCode !== 200) throw new Error(`scale-plans: login ${tenant.email}: ${login.statusCode}`)
      const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
      for (const [endpoint, path] of Object.entries(scaleEndpoints(d))) {
        sent = []
        const r = await app.inject({ method: 'GET', url: path, headers: { cookie } })
        if (r.statusCode !== 200)
          throw new Error(`scale-plans: GET ${path}: ${r.statusCode} ${r.body.slice(0, 300)}`)
        const asked = sent
        sent = []
        let selected = 0
        let total = 0
        let chMs = 0
        for (const [i, q] of asked.entries()) {
          const isRead = /^\s*(SELECT|WITH)\b/i.test(q.query)
          const plan = isRead ? await explain(query, q) : ''
          const g = granulesOf(plan)
          const ms = await timeAlone(query, q)
          selected += g.selected
          total += g.total
          chMs += ms
          queries.push({ ...q, who, endpoint, ms, granules: `${g.selected}/${g.total}` })
          console.error(
            `[scale-plans] ${prefix} ${who} ${endpoint} #${i + 1}: ${ms.toFixed(1)} ms, granules ${g.selected}/${g.total} ` +
              `in ${g.reads} reads — ${q.query.replace(/\s+/g, ' ').slice(0, 160)}`,
          )
        }
        emit(`${who}_${endpoint}_ch_queries`, asked.length, 'queries')
        emit(`${who}_${endpoint}_ch_ms`, chMs, 'ms')
        emit(`${who}_${endpoint}_granules_read`, selected, 'granules')
        emit(`${who}_${endpoint}_granules_total`, total, 'granules')
      }
    }
  } finally {
    await app.close()
    await stores.close()
  }
  writeFileSync(outFile, JSON.stringify(figures))
  // Every query with its parameters, to re-run or EXPLAIN by hand.
  writeFileSync(outFile.replace(/\.json$/, '') + '-queries.json', JSON.stringify(queries, null, 1))
}

type RawQuery = (p: Record<string, unknown>) => ReturnType<import('@luneo/warehouse').Ch['query']>

async function explain(query: RawQuery, q: Sent): Promise<string> {
  const rs = await query({
    query: `EXPLAIN indexes = 1 ${q.query}`,
    query_params: q.params,
    format: 'TabSeparatedRaw',
  })
  return rs.text()
}

/** chDB's time for the query alone, the median of 5 after one warm-up (the page cache is warm). */
async function timeAlone(query: RawQuery, q: Sent): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now()
    const rs = await query({ query: q.query, query_params: q.params, format: 'JSONEachRow' })
    await rs.text()
    if (i > 0) times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return times[2]!
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)

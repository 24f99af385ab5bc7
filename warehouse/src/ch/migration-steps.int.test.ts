import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openClickHouse, type Ch, type ClickHouseHandle } from './client.js'
import { migrateClickHouse, rollbackClickHouse } from './migrate.js'
import { chMigrations } from './migrations/index.js'
import { martMigrations } from './migrations/marts.js'
import { tempDir } from '../testing.js'

// Each ClickHouse migration, one step at a time on a database that holds data: events of every
// kind the typed tables read (so their materialized views fill them), and rows in every other
// table. At each step: seed, take the schema (each table's CREATE as ClickHouse states it, and its
// columns) and a fingerprint of every table, roll one step back, migrate it again, then demand the
// same schema and the same rows — in every column the step did not add, and in the tables its up
// fills again from events (INSERT … SELECT): those the down/up pair must give back whole.

const all = [...chMigrations, ...martMigrations].sort((a, b) => a.version - b.version)
const ROWS = 3

const dir = tempDir('luneo-ch-steps-')
let h: ClickHouseHandle
beforeAll(async () => {
  // Always chDB in its own directory, never LUNEO_TEST_CLICKHOUSE_URL: the walk drops every table,
  // which a shared server's database must not suffer.
  h = await openClickHouse({ dataDir: dir.path })
})
afterAll(async () => {
  await h?.close()
  dir.remove()
})

async function rows<T>(ch: Ch, query: string): Promise<T[]> {
  return (await ch.query({ query, format: 'JSONEachRow' })).json<T>()
}

interface Column {
  table: string
  name: string
  type: string
}
const columns = (ch: Ch) =>
  rows<Column>(
    ch,
    `SELECT c.table AS table, c.name AS name, c.type AS type FROM system.columns c
     JOIN system.tables t ON t.database = c.database AND t.name = c.table
     WHERE c.database = currentDatabase() AND c.table <> 'schema_migrations' AND t.engine <> 'MaterializedView'
     ORDER BY c.table, c.position`,
  )

async function schema(ch: Ch): Promise<string[]> {
  const tables = await rows<{ line: string }>(
    ch,
    `SELECT create_table_query AS line FROM system.tables
     WHERE database = currentDatabase() AND name <> 'schema_migrations'`,
  )
  const cols = await rows<{ line: string }>(
    ch,
    `SELECT concat(table, '.', name, ' ', type, ' ', default_kind, ' ', default_expression) AS line
     FROM system.columns WHERE database = currentDatabase() AND table <> 'schema_migrations'`,
  )
  return [...tables, ...cols].map((r) => r.line).sort()
}

/** Per table: rows (folded with FINAL) and a hash over them, reading only the given columns. */
async function fingerprints(ch: Ch, cols: Column[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const table of new Set(cols.map((c) => c.table))) {
    const list = cols
      .filter((c) => c.table === table)
      .map((c) => `\`${c.name}\``)
      .join(', ')
    const [r] = await rows<{ n: string; h: string }>(
      ch,
      `SELECT count() AS n, toString(cityHash64(arraySort(groupArray(toString(tuple(${list})))))) AS h
       FROM \`${table}\` FINAL`,
    )
    out[table] = `${r!.n} rows ${r!.h}`
  }
  return out
}

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0')
const uuid = (step: number, kind: number, row: number) =>
  `00000000-${hex(step, 4)}-4000-8000-${hex(kind, 8)}${hex(row, 4)}`
// Recent instants (the last weeks): older rows would be past the dead-letter TTL (30 days), which
// the retention step's up drops at once, as it should.
const at = (step: number, row: number) =>
  new Date(Date.now() - (step * 24 + row) * 3_600_000).toISOString().replace('T', ' ').slice(0, 23)

// Events as the product writes them: a turn (message, reply), feedback, an outcome, an escalation.
function events(step: number) {
  const out: Record<string, unknown>[] = []
  for (let row = 0; row < ROWS; row++) {
    const org = uuid(step, 1, 0)
    const conversation = uuid(step, 2, row)
    const message = uuid(step, 3, row)
    const reply = uuid(step, 4, row)
    const payloads: [string, Record<string, unknown>][] = [
      [
        'message.received',
        { messageId: message, channel: 'widget', text: `Where is order ${step}${row}?`, piiRedacted: row },
      ],
      [
        'reply.sent',
        {
          messageId: reply,
          replyToId: message,
          intent: 'order_status',
          intentConfidence: 0.5 + row / 10,
          grounded: row % 2 === 0,
          topScore: 0.7,
          promptTokens: 120 + row,
          completionTokens: 40,
          costUsd: 0.00012 * (row + 1),
          latencyMs: 850 + step,
          experimentId: null,
          variantId: null,
          provider: 'openai',
          model: 'gpt-4o-mini',
          fallback: false,
          escalated: row === 2,
        },
      ],
      [
        'feedback.submitted',
        { feedbackId: uuid(step, 5, row), rating: row % 2 ? 'positive' : 'negative', csat: row + 3 },
      ],
      [
        'outcome.recorded',
        { outcomeId: uuid(step, 6, row), type: 'purchase', amount: 42.5 * (row + 1), currency: 'EUR' },
      ],
      ['conversation.escalated', { reason: 'customer_request', messageId: reply }],
    ]
    payloads.forEach(([type, payload], k) =>
      out.push({
        id: uuid(step, 10 + k, row),
        type,
        version: 1,
        organization_id: org,
        occurred_at: at(step, row),
        conversation_id: conversation,
        contact_id: null,
        agent_id: uuid(step, 7, 0),
        vertical: 'ecommerce',
        correlation_id: `req-${step}-${row}`,
        payload: JSON.stringify(payload),
        ingested_at: at(step, row),
      }),
    )
  }
  return out
}

function valueFor(type: string, step: number, row: number, name: string): unknown {
  const nullable = /^Nullable\((.*)\)$/.exec(type)
  if (nullable) return row === ROWS - 1 ? null : valueFor(nullable[1]!, step, row, name)
  const low = /^LowCardinality\((.*)\)$/.exec(type)
  if (low) return valueFor(low[1]!, step, row, name)
  if (type === 'UUID')
    return uuid(
      step,
      [...name].reduce((s, ch) => s + ch.charCodeAt(0), 0),
      row,
    )
  if (type === 'String') return `${name} ${step}.${row}`
  if (type.startsWith('DateTime64')) return at(step, row)
  if (type.startsWith('DateTime')) return at(step, row).slice(0, 19)
  if (type === 'Date') return at(step, row).slice(0, 10)
  if (/^U?Int\d+$/.test(type)) return step * 10 + row
  if (/^Float\d+$/.test(type)) return (step * 10 + row) * 1.5
  if (type === 'Bool') return row % 2 === 0
  throw new Error(`no seed value for ${name} (${type}): add one`)
}

/** Events, and ROWS rows in every other table that is no view's target (those fill from events). */
async function seed(ch: Ch, step: number) {
  const cols = await columns(ch)
  const targets = new Set(
    (
      await rows<{ q: string }>(
        ch,
        `SELECT create_table_query AS q FROM system.tables
         WHERE database = currentDatabase() AND engine = 'MaterializedView'`,
      )
    ).map((r) => / TO [^.]+\.(\S+) /.exec(r.q)?.[1]),
  )
  for (const table of new Set(cols.map((c) => c.table))) {
    if (targets.has(table)) continue
    const cs = cols.filter((c) => c.table === table)
    const values =
      table === 'events'
        ? events(step).map((e) => ({
            ...e,
            ...(cs.some((c) => c.name === 'stream_partition')
              ? { stream_partition: step, stream_offset: 1000 + step }
              : {}),
          }))
        : Array.from({ length: ROWS }, (_, row) =>
            Object.fromEntries(cs.map((c) => [c.name, valueFor(c.type, step, row, `${table}.${c.name}`)])),
          )
    await ch.insert({ table, values, format: 'JSONEachRow' })
  }
}

describe('clickhouse migrations step by step, down and up, on a database holding data', () => {
  it('each step restores the schema exactly and keeps the rows it should', async () => {
    let before = await schema(h.ch)
    expect(before).toEqual([])
    for (const [i, m] of all.entries()) {
      const upTo = all.slice(0, i + 1)
      expect(await migrateClickHouse(h.ch, upTo)).toEqual([m.version])
      await seed(h.ch, i + 1)
      const after = await schema(h.ch)
      const cols = await columns(h.ch)
      // Columns that existed before the step, and tables its up fills again from events.
      const rebuilt = m.statements.flatMap((s) => /^INSERT INTO (\w+) /.exec(s)?.[1] ?? [])
      const kept = cols.filter(
        (c) => rebuilt.includes(c.table) || before.some((l) => l.startsWith(`${c.table}.${c.name} `)),
      )
      const data = await fingerprints(h.ch, kept)

      expect(await rollbackClickHouse(h.ch, all, all[i - 1]?.version ?? 0)).toEqual([m.version])
      expect(await schema(h.ch), `${m.name} down`).toEqual(before)
      expect(await migrateClickHouse(h.ch, upTo)).toEqual([m.version])
      expect(await schema(h.ch), `${m.name} down then up`).toEqual(after)
      expect(await fingerprints(h.ch, kept), `${m.name}: rows kept`).toEqual(data)
      before = after
    }
    // The walk ran over data: the typed tables were filled from events at every step (but the
    // first, whose events went with the events table: version 1's down drops it).
    const [replies] = await rows<{ n: string }>(h.ch, 'SELECT count() AS n FROM replies_v1 FINAL')
    expect(Number(replies!.n)).toBe(ROWS * (all.length - 1))
  })
})

import { z } from 'zod'
import type { Ch } from '../client.js'

// Column types as ClickHouse's JSON output spells them. 64-bit integers come as numbers from our
// client (output_format_json_quote_64bit_integers = 0, client.ts), but a server left on its
// default quotes them: numbers accept a numeric string on purpose, never an empty or other one.
const numeric = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i

/** A number, or the quoted decimal text ClickHouse may print for a 64-bit one. */
export const chNumber = z.union([z.number(), z.string().regex(numeric).transform(Number)], {
  error: 'expected a number (or numeric text)',
})
/** A UInt8 0/1 flag, read as a boolean. */
export const chFlag = z
  .union([z.literal(0), z.literal(1)], { error: 'expected a 0/1 flag' })
  .transform((v) => v === 1)
/** A UUID as `toString(uuid)` prints it (any version: fixtures use hand-made ids). */
export const chUuid = z.guid()
/** DateTime64 text as ClickHouse prints it: `2025-01-31 09:15:00.123`, UTC. */
export const chDateTimeText = z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/)
/**
 * DateTime text read as the instant it is, in ISO 8601 (`2025-01-31T09:15:00.123Z`): what the API
 * answers. Milliseconds, as a JS Date holds them (every time column here is DateTime64(3)).
 */
export const chInstant = chDateTimeText.transform((t) => new Date(`${t.replace(' ', 'T')}Z`).toISOString())
/** A JSON document stored in a String column, parsed. */
export const chJson = z.string().transform((text, ctx): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not valid JSON' })
    return z.NEVER
  }
})

/** A row ClickHouse returned that does not have the shape its query promises: a bug, never data to guess at. */
export class ClickHouseRowError extends Error {
  constructor(
    readonly query: string,
    readonly index: number,
    readonly issues: string,
  ) {
    super(`ClickHouse query ${query} returned a malformed row ${index}:\n${issues}`)
    this.name = 'ClickHouseRowError'
  }
}

export interface Sql {
  query: string
  params?: Record<string, unknown> | undefined
  /** Per-query limits (e.g. QUERY_LIMITS for requests): on chDB every query states its own. */
  settings?: QueryLimits | undefined
}

// A type alias, not an interface: the client's settings type wants an index signature.
export type QueryLimits = {
  /** Seconds before ClickHouse stops the query (0 = none). */
  max_execution_time: number
  /** Bytes of memory the query may use ('0' = the server's default; a UInt64, so a string). */
  max_memory_usage: string
}

/**
 * What a query a person waits on (an analytics endpoint) may cost: a few seconds and 1 GiB, so
 * one tenant's heavy filter cannot hold the store for everyone. Pipelines run without them.
 */
export const QUERY_LIMITS: QueryLimits = { max_execution_time: 10, max_memory_usage: String(1 << 30) }

/** Each issue on a line: the column, what was expected, and the value ClickHouse sent. */
function describeIssues(error: z.ZodError, row: unknown): string {
  return error.issues
    .map((issue) => {
      const value = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown>)?.[k], row)
      const at = issue.path.length ? issue.path.join('.') : '(row)'
      return `  ${at}: ${issue.message}, got ${JSON.stringify(value) ?? 'nothing'}`
    })
    .join('\n')
}

function parseRow<S extends z.ZodType>(name: string, schema: S, row: unknown, index: number): z.output<S> {
  const r = schema.safeParse(row)
  if (!r.success) throw new ClickHouseRowError(name, index, describeIssues(r.error, row))
  return r.data
}

/**
 * Runs a named query and decodes every row with `decode`, a hand-written check of the same shape a
 * schema states, for queries whose rows are many and simple enough that zod's per-row cost shows in
 * a profile (the pipelines' event reads). `decode` returns the row, or what is wrong with it as the
 * lines `describeIssues` writes; a malformed row throws ClickHouseRowError as queryRows does.
 */
export async function queryDecoded<T>(
  ch: Ch,
  name: string,
  decode: (row: Record<string, unknown>) => T | RowIssue,
  sql: Sql,
): Promise<T[]> {
  const rows = await (await send(ch, sql)).json<unknown>()
  return rows.map((row, i) => {
    const r =
      typeof row === 'object' && row !== null
        ? decode(row as Record<string, unknown>)
        : issue('(row)', 'expected an object', row)
    if (r instanceof RowIssue)
      throw new ClickHouseRowError(
        name,
        i,
        `  ${r.column}: ${r.message}, got ${JSON.stringify(r.value) ?? 'nothing'}`,
      )
    return r
  })
}

/** What a `queryDecoded` decoder found wrong with a row: its first bad column. */
export class RowIssue {
  constructor(
    readonly column: string,
    readonly message: string,
    readonly value: unknown,
  ) {}
}
export const issue = (column: string, message: string, value: unknown) => new RowIssue(column, message, value)

/** Runs a named query and parses every row with its schema; a row that does not match throws ClickHouseRowError. */
export async function queryRows<S extends z.ZodType>(
  ch: Ch,
  name: string,
  schema: S,
  sql: Sql,
): Promise<z.output<S>[]> {
  const rows = await (await send(ch, sql)).json<unknown>()
  return rows.map((row, i) => parseRow(name, schema, row, i))
}

/**
 * Starts a named query and returns its rows as they arrive, each parsed with its schema. The
 * query is sent before this resolves, so a refused query fails here, not midway through a reply.
 */
export async function streamRows<S extends z.ZodType>(
  ch: Ch,
  name: string,
  schema: S,
  sql: Sql,
): Promise<AsyncIterable<z.output<S>>> {
  const rs = await send(ch, sql)
  return (async function* () {
    let i = 0
    for await (const batch of rs.stream()) {
      for (const row of batch as { json: <T>() => T }[])
        yield parseRow(name, schema, row.json<unknown>(), i++)
    }
  })()
}

/** Sends a named query's SQL, values and settings; rows come back as JSON objects. */
function send(ch: Ch, sql: Sql) {
  return ch.query({
    query: sql.query,
    query_params: sql.params,
    format: 'JSONEachRow',
    ...(sql.settings ? { clickhouse_settings: sql.settings } : {}),
  })
}

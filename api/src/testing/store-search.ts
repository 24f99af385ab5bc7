// Test support: looks for strings in every store, table by table and column by column, so an
// erasure test proves absence everywhere rather than in the places someone thought of.
import { sql } from 'kysely'
import type { Ch, Db } from '@luneo/warehouse'
import { collectionName, openChromaClient } from '../knowledge/vector-store.js'

export interface Hit {
  store: 'postgres' | 'clickhouse' | 'chroma'
  where: string
  needle: string
}

/** Every text-bearing column of every Postgres table (text, varchar, jsonb, arrays), case-insensitive. */
export async function searchPostgres(db: Db, needles: string[]): Promise<Hit[]> {
  const cols = await sql<{ table_name: string; column_name: string }>`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%'
      AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`.execute(db)
  const hits: Hit[] = []
  for (const c of cols.rows)
    for (const needle of needles) {
      const r = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM ${sql.table(c.table_name)}
        WHERE ${sql.ref(c.column_name)}::text ILIKE ${`%${needle}%`}`.execute(db)
      if (Number(r.rows[0]!.n) > 0)
        hits.push({ store: 'postgres', where: `${c.table_name}.${c.column_name}`, needle })
    }
  return hits
}

/** Every String-typed column (Nullable, LowCardinality included) of every ClickHouse table, case-insensitive. */
export async function searchClickHouse(ch: Ch, needles: string[]): Promise<Hit[]> {
  const rs = await ch.query({
    query: `SELECT c.table AS t, c.name AS col FROM system.columns c
            JOIN system.tables t ON t.database = c.database AND t.name = c.table
            WHERE c.database = currentDatabase() AND t.engine NOT IN ('MaterializedView', 'View')
              AND c.type LIKE '%String%'`,
    format: 'JSONEachRow',
  })
  const hits: Hit[] = []
  for (const { t, col } of await rs.json<{ t: string; col: string }>())
    for (const needle of needles) {
      const q = await ch.query({
        query: `SELECT count() AS n FROM ${t} WHERE positionCaseInsensitive(toString(${col}), {needle:String}) > 0`,
        query_params: { needle },
        format: 'JSONEachRow',
      })
      if (Number((await q.json<{ n: number }>())[0]!.n) > 0)
        hits.push({ store: 'clickhouse', where: `${t}.${col}`, needle })
    }
  return hits
}

/** Rows of these tables whose `column` is one of `ids` (ClickHouse tables keyed by conversation). */
export async function clickHouseRowsOf(ch: Ch, tables: readonly string[], column: string, ids: string[]) {
  const out: Record<string, number> = {}
  for (const t of tables) {
    const q = await ch.query({
      query: `SELECT count() AS n FROM ${t} WHERE ${column} IN {ids:Array(UUID)}`,
      query_params: { ids },
      format: 'JSONEachRow',
    })
    out[t] = Number((await q.json<{ n: number }>())[0]!.n)
  }
  return out
}

/** Every document and metadata value of every collection of the Chroma server, case-insensitive. */
export async function searchChroma(url: string, needles: string[]): Promise<Hit[]> {
  const hits: Hit[] = []
  for (const { name, records: all } of await everyChromaCollection(url)) {
    const texts = all.ids.map(
      (id, i) => `${id} ${all.documents[i] ?? ''} ${JSON.stringify(all.metadatas[i] ?? {})}`,
    )
    for (const needle of needles)
      if (texts.some((t) => t.toLowerCase().includes(needle.toLowerCase())))
        hits.push({ store: 'chroma', where: name, needle })
  }
  return hits
}

/** Every collection of the Chroma server with its records. */
async function everyChromaCollection(url: string) {
  const collections = await openChromaClient(url).listCollections({ limit: 1000 })
  return Promise.all(
    collections.map(async (c) => ({ name: c.name, records: await chromaRecords(url, c.name) })),
  )
}

/** Every record of one Chroma collection (a knowledge base's: `collectionName(kbId)`), with documents and metadata. */
export async function chromaRecords(url: string, collection: string) {
  const col = await openChromaClient(url).getCollection({
    name: collection,
    embeddingFunction: null,
  } as never)
  return col.get({ include: ['documents', 'metadatas'] as never })
}

/** The ids of one document's vectors in Chroma, in every collection (chunks; phrasings end in `:q<n>`). */
export async function chromaIdsOfDocument(url: string, documentId: string): Promise<string[]> {
  return (await everyChromaCollection(url)).flatMap(({ records }) =>
    records.ids.filter((_, i) => records.metadatas[i]?.document_id === documentId),
  )
}

/** The document ids of a knowledge base's vectors in Chroma (one per vector). */
export async function chromaDocumentIds(url: string, knowledgeBaseId: string): Promise<string[]> {
  const got = await chromaRecords(url, collectionName(knowledgeBaseId))
  return got.metadatas.map((m) => (typeof m?.document_id === 'string' ? m.document_id : ''))
}

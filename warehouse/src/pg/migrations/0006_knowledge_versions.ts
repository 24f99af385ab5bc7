import { sql, type Kysely } from 'kysely'

// A knowledge base's content version: bumped in the transaction that changes its chunks (a
// document added, replaced or deleted). Every API replica keeps its lexical (BM25) index of a
// knowledge base in memory and compares this one number before a search, so a change made through
// another replica is seen at the next question (docs/adr/0015). Numbered 0006: 0005 is taken by
// the knowledge-gaps branch. Frozen in time: Kysely<any> only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('knowledge_bases')
    .addColumn('content_version', 'bigint', (c) => c.notNull().defaultTo(sql`0`))
    .execute()
  // The lexical index is rebuilt from a knowledge base's chunks when its version moves.
  await sql`CREATE INDEX knowledge_chunks_kb_idx ON knowledge_chunks (knowledge_base_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS knowledge_chunks_kb_idx`.execute(db)
  await db.schema.alterTable('knowledge_bases').dropColumn('content_version').execute()
}

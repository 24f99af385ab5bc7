import type { Kysely } from 'kysely'

// Which embedder made a knowledge gap's centroid (its vector space). Gaps stored before this
// column have none: the knowledge_gaps_v1 job re-embeds any gap whose embedder is not the one it
// runs with, so a 384-d centroid is never compared with a 512-d one (docs/adr/0016). Frozen in
// time: Kysely<any> only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('knowledge_gaps').addColumn('embedder', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('knowledge_gaps').dropColumn('embedder').execute()
}

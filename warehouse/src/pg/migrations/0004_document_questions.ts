import { sql, type Kysely } from 'kysely'

// FAQ-style documents: the ways customers ask a question, stored with the answer. Each question
// is indexed as its own vector pointing at the answer's chunk (frozen in time: Kysely<any> only).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('knowledge_documents')
    .addColumn('questions', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('knowledge_documents').dropColumn('questions').execute()
}

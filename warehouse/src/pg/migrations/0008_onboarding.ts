import { sql, type Kysely } from 'kysely'

// Onboarding (docs/adr/0019): a document says whether its owner confirmed it. The vertical
// template's starter documents state invented policies ("30-day returns") and are written
// unconfirmed: they stay out of both indexes until confirmed, so no customer hears them. Every
// other document (typed, uploaded, a gap's accepted answer, an onboarding answer) is the
// organization's own word and confirmed on write; existing ones are backfilled so. Starter
// documents already in the vector store are withdrawn from it at the next start (reindexPending).
// The owner's answers to the template's onboarding questions, one row per question, each with
// the confirmed document written from it. Frozen in time: Kysely<any> only.
const now = sql`now()`

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('knowledge_documents').addColumn('confirmed_at', 'timestamptz').execute()
  await sql`UPDATE knowledge_documents SET confirmed_at = created_at WHERE source <> 'template'`.execute(db)
  await db.schema
    .createTable('onboarding_answers')
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('knowledge_base_id', 'uuid', (c) => c.references('knowledge_bases.id').onDelete('set null'))
    .addColumn('document_id', 'uuid', (c) => c.references('knowledge_documents.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('onboarding_answers_pk', ['organization_id', 'question_id'])
    .execute()
  await sql`CREATE INDEX onboarding_answers_org_created_idx ON onboarding_answers (organization_id, created_at)`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('onboarding_answers').execute()
  await db.schema.alterTable('knowledge_documents').dropColumn('confirmed_at').execute()
}

import { sql, type Kysely } from 'kysely'

// Data kept only as long as allowed (docs/adr/0022). Each organization's retention policy: how
// many days a conversation's text (conversations, messages, contacts, feedback comments) and its
// analytics aggregates are kept. Erasure requests: one contact's data removed everywhere, with
// the progress of each store. Vector deletions: a document removed while Chroma was unreachable
// stays listed here until Chroma has dropped its vectors. Published outbox rows are pruned by
// age: an index on published_at finds them. Frozen in time: Kysely<any> only.
const now = sql`now()`
const org = (c: any) => c.notNull().references('organizations.id').onDelete('cascade')

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organizations')
    .addColumn('conversation_retention_days', 'integer', (c) => c.notNull().defaultTo(365))
    .addColumn('analytics_retention_days', 'integer', (c) => c.notNull().defaultTo(730))
    .execute()

  await db.schema
    .createTable('erasure_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', org)
    // No foreign key: the contact row is what this request deletes.
    .addColumn('contact_id', 'uuid', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    // Steps done so far, in order: postgres, clickhouse, vectors.
    .addColumn('steps_done', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    // The erased conversations' ids (random UUIDs, nothing left to point at): the later steps
    // find the ClickHouse rows and the re-indexed documents by them.
    .addColumn('conversation_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('document_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('counts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('outbox_seq', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('requested_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('completed_at', 'timestamptz')
    .execute()
  await sql`CREATE INDEX erasure_requests_org_created_idx ON erasure_requests (organization_id, created_at)`.execute(
    db,
  )
  await sql`CREATE INDEX erasure_requests_open_idx ON erasure_requests (created_at) WHERE status <> 'done'`.execute(
    db,
  )

  await db.schema
    .createTable('vector_deletions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', org)
    // No foreign keys: the knowledge base or document is already gone from Postgres.
    .addColumn('knowledge_base_id', 'uuid', (c) => c.notNull())
    // NULL: the whole knowledge base.
    .addColumn('document_id', 'uuid')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
  await sql`CREATE INDEX vector_deletions_org_created_idx ON vector_deletions (organization_id, created_at)`.execute(
    db,
  )

  await sql`CREATE INDEX outbox_published_idx ON outbox (published_at) WHERE published_at IS NOT NULL`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS outbox_published_idx`.execute(db)
  await db.schema.dropTable('vector_deletions').ifExists().execute()
  await db.schema.dropTable('erasure_requests').ifExists().execute()
  await db.schema
    .alterTable('organizations')
    .dropColumn('conversation_retention_days')
    .dropColumn('analytics_retention_days')
    .execute()
}

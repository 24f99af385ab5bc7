import { sql, type Kysely } from 'kysely'

// Incremental knowledge gaps (docs/adr/0023). `cohesion`: the length of the mean of the gap's
// member vectors (unit-normalised), so an incremental run measures a new question's average
// cosine distance to the gap's members — the clustering's own linkage — from the centroid alone
// (NULL: stored before this column; the job computes it from the member questions once).
// knowledge_gap_reclusters: when each organization's failed questions were last re-clustered in
// full, so the scheduled re-cluster runs on its own clock. Frozen in time: Kysely<any> only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('knowledge_gaps').addColumn('cohesion', 'double precision').execute()
  await db.schema
    .createTable('knowledge_gap_reclusters')
    .addColumn('organization_id', 'uuid', (c) =>
      c.primaryKey().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('reclustered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('questions', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // Every tenant-owned table has one (migrations.int.test.ts): the tenancy checks look for it.
  await sql`CREATE INDEX knowledge_gap_reclusters_org_created_idx ON knowledge_gap_reclusters (organization_id, created_at)`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('knowledge_gap_reclusters').ifExists().execute()
  await db.schema.alterTable('knowledge_gaps').dropColumn('cohesion').execute()
}

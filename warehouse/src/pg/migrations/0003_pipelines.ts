import { sql, type Kysely } from 'kysely'

// Pipelines: watermarks per job and organization, the knowledge-gap review queue, the history of
// every traffic-weight change, and the organization's remaining ROI/outcome assumptions.
// Frozen in time: Kysely<any> only.

const now = sql`now()`

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organizations')
    .addColumn('subscription_monthly', 'double precision', (c) => c.notNull().defaultTo(99))
    .addColumn('resolution_window_hours', 'double precision', (c) => c.notNull().defaultTo(24))
    .addColumn('durable_days', 'double precision', (c) => c.notNull().defaultTo(7))
    .execute()

  await db.schema
    .createTable('pipeline_watermarks')
    .addColumn('job', 'text', (c) => c.notNull())
    // '00000000-0000-0000-0000-000000000000' for jobs that span organizations (vertical insights)
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    .addColumn('watermark', 'timestamptz', (c) => c.notNull())
    .addColumn('rows_in', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_out', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('duration_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('pipeline_watermarks_pk', ['job', 'organization_id'])
    .execute()
  await sql`CREATE INDEX pipeline_watermarks_org_created_idx ON pipeline_watermarks (organization_id, created_at)`.execute(
    db,
  )

  await db.schema
    .createTable('knowledge_gaps')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('volume', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('escalations', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('centroid', 'jsonb', (c) => c.notNull())
    .addColumn('examples', 'jsonb', (c) => c.notNull())
    .addColumn('member_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('drafted_answer', 'text')
    .addColumn('accepted_answer', 'text')
    .addColumn('document_id', 'uuid')
    .addColumn('reviewed_by', 'uuid')
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
  await sql`CREATE INDEX knowledge_gaps_org_created_idx ON knowledge_gaps (organization_id, created_at)`.execute(
    db,
  )
  await sql`CREATE INDEX knowledge_gaps_org_status_idx ON knowledge_gaps (organization_id, status, score DESC)`.execute(
    db,
  )

  await db.schema
    .createTable('tuning_history')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('experiment_id', 'uuid', (c) => c.notNull().references('experiments.id').onDelete('cascade'))
    .addColumn('weights', 'jsonb', (c) => c.notNull())
    .addColumn('posteriors', 'jsonb', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
  await sql`CREATE INDEX tuning_history_org_created_idx ON tuning_history (organization_id, created_at)`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tuning_history').ifExists().execute()
  await db.schema.dropTable('knowledge_gaps').ifExists().execute()
  await db.schema.dropTable('pipeline_watermarks').ifExists().execute()
  await db.schema
    .alterTable('organizations')
    .dropColumn('subscription_monthly')
    .dropColumn('resolution_window_hours')
    .dropColumn('durable_days')
    .execute()
}

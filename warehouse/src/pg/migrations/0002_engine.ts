import { sql, type Kysely } from 'kysely'

// The conversation engine: knowledge chunks, agent ↔ knowledge bases, prompt versions and
// experiments, tuning state (written by the pipelines), widget keys, webhook deliveries,
// follow-up tasks created by actions, intent corrections. Frozen in time: Kysely<any> only.

const now = sql`now()`
const org = (c: any) => c.notNull().references('organizations.id').onDelete('cascade')

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organizations')
    .addColumn('webhook_url', 'text')
    .addColumn('webhook_secret', 'text')
    .execute()
  await db.schema
    .alterTable('conversations')
    .addColumn('memory', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('escalation_reason', 'text')
    .addColumn('escalated_at', 'timestamptz')
    .execute()
  await db.schema.alterTable('knowledge_documents').addColumn('indexed_at', 'timestamptz').execute()

  await db.schema
    .createTable('knowledge_chunks')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', org)
    .addColumn('knowledge_base_id', 'uuid', (c) =>
      c.notNull().references('knowledge_bases.id').onDelete('cascade'),
    )
    .addColumn('document_id', 'uuid', (c) =>
      c.notNull().references('knowledge_documents.id').onDelete('cascade'),
    )
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
  await sql`CREATE INDEX knowledge_chunks_doc_idx ON knowledge_chunks (document_id, ordinal)`.execute(db)

  await db.schema
    .createTable('agent_knowledge_bases')
    .addColumn('organization_id', 'uuid', org)
    .addColumn('agent_id', 'uuid', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('knowledge_base_id', 'uuid', (c) =>
      c.notNull().references('knowledge_bases.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('agent_knowledge_bases_pk', ['agent_id', 'knowledge_base_id'])
    .execute()

  await db.schema
    .createTable('prompt_versions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', org)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('prompt_versions_name_version_key', ['organization_id', 'name', 'version'])
    .execute()

  await db.schema
    .createTable('experiments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', org)
    .addColumn('agent_id', 'uuid', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('running'))
    .addColumn('winner_variant_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
  await db.schema
    .createTable('experiment_variants')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', org)
    .addColumn('experiment_id', 'uuid', (c) => c.notNull().references('experiments.id').onDelete('cascade'))
    .addColumn('prompt_version_id', 'uuid', (c) => c.notNull().references('prompt_versions.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
  // Decisions of the pipelines that change what the next conversation does.
  await db.schema
    .createTable('tuning_state')
    .addColumn('organization_id', 'uuid', org)
    .addColumn('experiment_id', 'uuid', (c) => c.notNull().references('experiments.id').onDelete('cascade'))
    .addColumn('variant_id', 'uuid', (c) =>
      c.notNull().references('experiment_variants.id').onDelete('cascade'),
    )
    .addColumn('weight', 'double precision', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('tuning_state_pk', ['experiment_id', 'variant_id'])
    .execute()

  await db.schema
    .createTable('widget_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', org)
    .addColumn('agent_id', 'uuid', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('public_key', 'text', (c) => c.notNull().unique())
    .addColumn('allowed_origins', sql`text[]`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('revoked_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', org)
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
  await sql`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`.execute(
    db,
  )

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', org)
    .addColumn('conversation_id', 'uuid', (c) => c.references('conversations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()

  await db.schema
    .createTable('intent_corrections')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', org)
    .addColumn('vertical', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('intent', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()

  for (const t of [
    'knowledge_chunks',
    'agent_knowledge_bases',
    'prompt_versions',
    'experiments',
    'experiment_variants',
    'widget_keys',
    'webhook_deliveries',
    'tasks',
    'intent_corrections',
    'tuning_state',
  ]) {
    await sql`CREATE INDEX ${sql.id(`${t}_org_created_idx`)} ON ${sql.table(t)} (organization_id, created_at)`.execute(
      db,
    )
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'intent_corrections',
    'tasks',
    'webhook_deliveries',
    'widget_keys',
    'tuning_state',
    'experiment_variants',
    'experiments',
    'prompt_versions',
    'agent_knowledge_bases',
    'knowledge_chunks',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
  await db.schema.alterTable('knowledge_documents').dropColumn('indexed_at').execute()
  await db.schema
    .alterTable('conversations')
    .dropColumn('memory')
    .dropColumn('escalation_reason')
    .dropColumn('escalated_at')
    .execute()
  await db.schema.alterTable('organizations').dropColumn('webhook_url').dropColumn('webhook_secret').execute()
}

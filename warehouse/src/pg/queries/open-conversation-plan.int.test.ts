import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../ids.js'
import { openTestPostgres } from '../../testing.js'
import type { PostgresHandle } from '../db.js'
import type { Database } from '../schema.js'
import { insertAgent } from './agents.js'
import { OPEN_CONVERSATION } from './open-conversation.js'
import { insertOrganization } from './organizations.js'

// POST /conversations' statement is a named prepared statement on a server so that Postgres plans
// it once per connection. Postgres reuses the generic plan only when it costs no more than a
// custom plan built for the parameters (plus the planning); a custom plan can fold away whichever
// contact lookup has a NULL parameter. With the phone lookup unindexed, the generic plan carried an
// estimated scan of the organization's contacts, so every call was planned again (~0.2 ms, more
// than its execution, in bench/README.md "The write path"). The index of migration 0017 makes the
// generic plan as cheap as a custom one: after the five custom plans Postgres always tries first,
// it plans no more, and the gate on the phone stays a parameter test.

let pg: PostgresHandle & { label: string }
const org = newId()
let agentId: string

beforeAll(async () => {
  pg = await openTestPostgres()
  await insertOrganization(pg.db, { id: org, name: 'Shop', vertical: 'ecommerce' })
  const agent = await insertAgent(pg.db, {
    id: newId(),
    organization_id: org,
    name: 'Bot',
    vertical: 'ecommerce',
    template_version: '1',
    prompt_version_id: null,
    settings: {},
  })
  agentId = agent.id
  // An organization with a customer base, its statistics known to the planner.
  await sql`INSERT INTO contacts (id, organization_id, email, name)
    SELECT gen_random_uuid(), ${org}::uuid, 'customer-' || g || '@example.com', 'Customer'
    FROM generate_series(1, 5000) g`.execute(pg.db)
  await sql`ANALYZE contacts`.execute(pg.db)
})
afterAll(async () => {
  await pg?.close()
})

const lit = (v: string | null) => (v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`)

/** The arguments of one POST /conversations by email, as openConversationRows binds them. */
function args(i: number): string {
  const id = newId()
  return [
    org,
    agentId,
    `customer-${i}@example.com`,
    null,
    newId(),
    'Bench Customer',
    'true',
    id,
    'api',
    null,
    newId(),
    org,
    `${org}:${id}`,
    'conversation.started',
    '1',
    JSON.stringify({ conversationId: id, contactId: null }),
    newId(),
    org,
    'api_key',
    null,
    'conversation.created',
    'conversation',
    id,
    `req-${i}`,
    '{}',
  ]
    .map(lit)
    .join(', ')
}

describe('open_conversation plan', () => {
  it('is planned once: after five calls Postgres runs the generic plan, the phone lookup gated by its parameter', async () => {
    const plan = await pg.db.connection().execute(async (db: Kysely<Database>) => {
      await sql.raw(`PREPARE open_conversation_plan_test AS ${OPEN_CONVERSATION}`).execute(db)
      try {
        for (let i = 0; i < 6; i++)
          await sql.raw(`EXECUTE open_conversation_plan_test(${args(i)})`).execute(db)
        const r = await sql
          .raw<{ 'QUERY PLAN': string }>(
            `EXPLAIN (COSTS OFF) EXECUTE open_conversation_plan_test(${args(7)})`,
          )
          .execute(db)
        return r.rows.map((row) => row['QUERY PLAN']).join('\n')
      } finally {
        await sql.raw('DEALLOCATE open_conversation_plan_test').execute(db)
      }
    })
    // A custom plan folds `$4::text IS NOT NULL` with the NULL phone into `false`.
    expect(plan).toContain('One-Time Filter: ($4 IS NOT NULL)')
    expect(plan).not.toContain('One-Time Filter: false')
  })
})

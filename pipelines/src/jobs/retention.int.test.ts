import { createLocalEmbedder, createLocalProvider } from '@luneo/models'
import {
  chDateTime,
  insertOrganization,
  martMigrations,
  migrateClickHouse,
  newId,
  setRetentionPolicy,
  type Ch,
  type Db,
} from '@luneo/warehouse'
import { openTestClickHouse, openTestPostgres } from '@luneo/warehouse/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PipelineDeps } from '../runner/job.js'
import { runJob } from '../runner/run.js'
import { retention } from './retention.job.js'
import { retentionCutoffs } from './retention.js'

// What the retention job deletes, and when, on hand-computed fixtures (clock pinned, no sleeps).
// Policy of `org`: conversations 30 days, aggregates 90 days. Run at 2026-03-15T10:00Z, so the
// cutoffs are the start of that UTC day minus the days: conversations last active before
// 2026-02-13T00:00Z go, aggregates older than 2025-12-15T00:00Z go. `other` keeps the defaults
// (365 / 730 days) and has the same old rows: nothing of it goes.

const NOW = new Date('2026-03-15T10:00:00Z')
const at = (iso: string) => new Date(iso)
let deps: PipelineDeps
let db: Db
let ch: Ch
let close: () => Promise<void>
const org = newId()
const other = newId()

async function conversation(
  o: string,
  p: { created: string; last: string | null; contact?: string | null; messages?: string[] },
) {
  const agent = newId()
  await db
    .insertInto('agents')
    .values({
      id: agent,
      organization_id: o,
      name: 'a',
      vertical: 'ecommerce',
      template_version: '1',
      settings: '{}',
    })
    .execute()
  const id = newId()
  await db
    .insertInto('conversations')
    .values({
      id,
      organization_id: o,
      agent_id: agent,
      contact_id: p.contact ?? null,
      channel: 'api',
      created_at: at(p.created),
      last_message_at: p.last ? at(p.last) : null,
    })
    .execute()
  for (const text of p.messages ?? [])
    await db
      .insertInto('messages')
      .values({
        id: newId(),
        organization_id: o,
        conversation_id: id,
        role: 'customer',
        text,
        metadata: '{}',
      })
      .execute()
  return id
}

async function contact(o: string, updated: string) {
  const id = newId()
  await db
    .insertInto('contacts')
    .values({ id, organization_id: o, name: 'n', created_at: at(updated), updated_at: at(updated) })
    .execute()
  return id
}

async function gap(o: string, status: 'open' | 'accepted', lastSeen: string) {
  const id = newId()
  await db
    .insertInto('knowledge_gaps')
    .values({
      id,
      organization_id: o,
      status,
      label: 'l',
      last_seen_at: at(lastSeen),
      score: 1,
      volume: 1,
      escalations: 0,
      centroid: '[1,0]',
      examples: '["where is my parcel"]',
      member_ids: '[]',
    })
    .execute()
  return id
}

async function event(o: string, type: string, occurred: string, payload: object = {}) {
  await ch.insert({
    table: 'events',
    values: [
      {
        id: newId(),
        type,
        version: 1,
        organization_id: o,
        occurred_at: chDateTime(at(occurred)),
        conversation_id: newId(),
        contact_id: null,
        agent_id: null,
        vertical: 'ecommerce',
        correlation_id: '',
        payload: JSON.stringify(payload),
      },
    ],
    format: 'JSONEachRow',
  })
}

async function chCount(table: string, o: string): Promise<number> {
  const rs = await ch.query({
    query: `SELECT count() AS n FROM ${table} WHERE organization_id = {o:UUID}`,
    query_params: { o },
    format: 'JSONEachRow',
  })
  return Number((await rs.json<{ n: number }>())[0]!.n)
}

const ids = async (table: 'conversations' | 'contacts' | 'knowledge_gaps', o: string) =>
  (await db.selectFrom(table).select('id').where('organization_id', '=', o).execute()).map((r) => r.id).sort()

let f: Record<string, string>
beforeAll(async () => {
  const pg = await openTestPostgres()
  const chHandle = await openTestClickHouse()
  db = pg.db
  ch = chHandle.ch
  await migrateClickHouse(ch, martMigrations)
  await insertOrganization(db, { id: org, name: 'Shop', vertical: 'ecommerce' })
  await insertOrganization(db, { id: other, name: 'Other', vertical: 'ecommerce' })
  await setRetentionPolicy(db, org, { conversationDays: 30, analyticsDays: 90 })
  deps = { db, ch, embedder: createLocalEmbedder(), provider: createLocalProvider() }
  close = async () => {
    await chHandle.close()
    await pg.close()
  }
  const x = await contact(org, '2026-01-05T00:00:00Z') // only on the expired conversation: goes
  const y = await contact(org, '2026-01-05T00:00:00Z') // also on a kept conversation: stays
  f = {
    x,
    y,
    idleOld: await contact(org, '2026-02-12T23:59:59Z'), // no conversation, untouched before the cutoff: goes
    idleNew: await contact(org, '2026-02-13T00:00:00Z'), // no conversation, but at the cutoff: stays
    expired: await conversation(org, {
      created: '2026-02-01T00:00:00Z',
      last: '2026-02-12T23:59:59Z',
      contact: x,
      messages: ['where is my parcel', 'thanks'],
    }),
    atCutoff: await conversation(org, {
      created: '2026-02-01T00:00:00Z',
      last: '2026-02-13T00:00:00Z',
      contact: y,
    }),
    silentOld: await conversation(org, { created: '2026-01-01T00:00:00Z', last: null }), // never a message: by creation
    activeOld: await conversation(org, { created: '2026-01-01T00:00:00Z', last: '2026-03-01T00:00:00Z' }),
    yOld: await conversation(org, {
      created: '2026-01-01T00:00:00Z',
      last: '2026-01-02T00:00:00Z',
      contact: y,
    }),
    otherOld: await conversation(other, { created: '2026-01-01T00:00:00Z', last: '2026-01-02T00:00:00Z' }),
    gapStale: await gap(org, 'open', '2026-02-01T00:00:00Z'),
    gapFresh: await gap(org, 'open', '2026-03-01T00:00:00Z'),
    gapAccepted: await gap(org, 'accepted', '2026-01-01T00:00:00Z'),
    gapOther: await gap(other, 'open', '2026-01-01T00:00:00Z'),
  }
  // The expired conversation's outbox row (published) and webhook delivery go with it.
  await db
    .insertInto('outbox')
    .values(
      [f.expired!, f.activeOld!].map((c) => ({
        id: newId(),
        organization_id: org,
        partition_key: `${org}:${c}`,
        type: 'message.received',
        version: 1,
        envelope: '{}',
        published_at: at('2026-02-12T23:59:59Z'),
      })),
    )
    .execute()
  // ClickHouse. Text (events, messages_v1): before 2026-02-13 goes. Aggregates (replies_v1,
  // conversation_outcomes_v1): before 2025-12-15 goes.
  await event(org, 'message.received', '2026-02-12T23:59:59Z', { text: 'old words' }) // events + messages_v1: go
  await event(org, 'message.received', '2026-02-13T00:00:00Z', { text: 'kept words' }) // kept
  await event(org, 'reply.sent', '2025-12-14T23:59:59Z') // events (text cutoff) and replies_v1 (aggregates): go
  await event(org, 'reply.sent', '2026-01-10T00:00:00Z') // events row goes (text), replies_v1 row stays
  await event(other, 'message.received', '2025-01-01T00:00:00Z', { text: 'other org' }) // 365 days: kept
  for (const [o, started] of [
    [org, '2025-12-14T23:59:59Z'], // goes
    [org, '2025-12-15T00:00:00Z'], // stays
    [other, '2025-12-14T23:59:59Z'], // stays (730 days)
  ] as const)
    await ch.insert({
      table: 'conversation_outcomes_v1',
      values: [
        {
          organization_id: o,
          started_at: chDateTime(at(started)),
          conversation_id: newId(),
          agent_id: newId(),
          last_activity_at: chDateTime(at(started)),
          computed_at: chDateTime(NOW),
        },
      ],
      format: 'JSONEachRow',
    })
})
afterAll(async () => close?.())

describe('retention cutoffs', () => {
  it('counts whole UTC days back from the start of the run’s day', () => {
    expect(retentionCutoffs(NOW, { conversationDays: 30, analyticsDays: 90 })).toEqual({
      conversationsBefore: at('2026-02-13T00:00:00Z'),
      aggregatesBefore: at('2025-12-15T00:00:00Z'),
    })
    // one millisecond before midnight: the previous day's cutoffs
    expect(
      retentionCutoffs(at('2026-03-14T23:59:59.999Z'), { conversationDays: 30, analyticsDays: 90 })
        .conversationsBefore,
    ).toEqual(at('2026-02-12T00:00:00Z'))
  })
})

describe('the retention job', () => {
  it('deletes what is past the policy in Postgres and ClickHouse, and nothing else', async () => {
    const [report] = await runJob(deps, retention, { organizationId: org, now: NOW })
    expect(await ids('conversations', org)).toEqual([f.atCutoff!, f.activeOld!].sort())
    expect(await ids('contacts', org)).toEqual([f.y!, f.idleNew!].sort())
    expect(await ids('knowledge_gaps', org)).toEqual([f.gapFresh!, f.gapAccepted!].sort())
    const msgs = await db.selectFrom('messages').select('id').where('organization_id', '=', org).execute()
    expect(msgs).toEqual([])
    const outbox = await db.selectFrom('outbox').select('partition_key').execute()
    expect(outbox.map((r) => r.partition_key)).toEqual([`${org}:${f.activeOld}`])
    // 3 conversations + 2 messages + 2 contacts + 1 gap in Postgres; in ClickHouse 3 events,
    // 1 messages_v1, 1 replies_v1, 1 conversation_outcomes_v1.
    expect(report!.rowsOut).toBe(3 + 2 + 2 + 1 + 3 + 1 + 1 + 1)
    expect(await chCount('events', org)).toBe(1)
    expect(await chCount('messages_v1', org)).toBe(1)
    expect(await chCount('replies_v1', org)).toBe(1)
    expect(await chCount('conversation_outcomes_v1', org)).toBe(1)
    // the other organization, same ages, default policy: untouched
    expect(await ids('conversations', other)).toEqual([f.otherOld!])
    expect(await ids('knowledge_gaps', other)).toEqual([f.gapOther!])
    expect(await chCount('events', other)).toBe(1)
    expect(await chCount('conversation_outcomes_v1', other)).toBe(1)
  })

  it('runs once per UTC day; the next day it deletes only what newly crossed the cutoff', async () => {
    expect((await runJob(deps, retention, { organizationId: org, now: NOW }))[0]!.rowsOut).toBe(0)
    // the same day, later: skipped (same cutoffs) even though f.atCutoff would not go anyway
    const later = new Date('2026-03-15T23:00:00Z')
    expect((await runJob(deps, retention, { organizationId: org, now: later }))[0]!.rowsOut).toBe(0)
    // Next day: cutoffs 2026-02-14 and 2025-12-16. The conversation last active at 2026-02-13T00:00
    // goes; contacts y (its last conversation gone, untouched since 2026-01-05) and idleNew
    // (untouched since 2026-02-13T00:00) go; in ClickHouse the 2026-02-13 message (events and
    // messages_v1) and the outcome started 2025-12-15T00:00. 1 + 2 + 2 + 1 = 6 rows.
    const next = new Date('2026-03-16T00:00:01Z')
    const [r] = await runJob(deps, retention, { organizationId: org, now: next })
    expect(await ids('conversations', org)).toEqual([f.activeOld!])
    expect(await ids('contacts', org)).toEqual([])
    expect(await chCount('events', org)).toBe(0)
    expect(await chCount('replies_v1', org)).toBe(1)
    expect(await chCount('conversation_outcomes_v1', org)).toBe(0)
    expect(r!.rowsOut).toBe(6)
  })
})

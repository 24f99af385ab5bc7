import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../ids.js'
import { openTestPostgres } from '../../testing.js'
import type { PostgresHandle } from '../db.js'
import { insertAgent } from './agents.js'
import { upsertContact, type ContactInput } from './contacts.js'
import { openConversationRows, type OpenConversationInput } from './open-conversation.js'
import { insertOrganization } from './organizations.js'

// POST /conversations' one statement against the rules it replaces: upsertContact's merge (by
// email in any case, else by phone; fill what is missing, replace the name), the agent check that
// writes nothing when it fails, the event's contactId, the audit row as given, and that one failing
// part undoes the others (the service runs it without BEGIN/COMMIT). Runs on PGlite, and
// on a server (named prepared statement) under LUNEO_TEST_DATABASE_URL.

let pg: PostgresHandle & { label: string }
const org = newId()
const other = newId()
let agentId: string
let otherAgentId: string

beforeAll(async () => {
  pg = await openTestPostgres()
  for (const id of [org, other]) await insertOrganization(pg.db, { id, name: 'Shop', vertical: 'ecommerce' })
  const agent = (o: string) =>
    insertAgent(pg.db, {
      id: newId(),
      organization_id: o,
      name: 'Bot',
      vertical: 'ecommerce',
      template_version: '1',
      prompt_version_id: null,
      settings: {},
    })
  agentId = (await agent(org)).id
  otherAgentId = (await agent(other)).id
})
afterAll(async () => {
  await pg?.close()
})

function input(
  contact: ContactInput | null,
  over: Partial<OpenConversationInput> = {},
): OpenConversationInput {
  const id = newId()
  return {
    id,
    organization_id: org,
    agent_id: agentId,
    channel: 'api',
    contact: contact ? { newId: newId(), input: contact } : null,
    event: {
      id: newId(),
      organization_id: org,
      partition_key: `${org}:${id}`,
      type: 'conversation.started',
      version: 1,
      envelope: JSON.stringify({ id: 'e', conversationId: id, contactId: null, payload: { channel: 'api' } }),
    },
    audit: {
      id: newId(),
      organization_id: org,
      actor_type: 'api_key',
      actor_id: newId(),
      action: 'conversation.created',
      resource_type: 'conversation',
      resource_id: id,
      request_id: 'req-1',
      details: {},
    },
    ...over,
  }
}

const contactsOf = (o: string) =>
  pg.db.selectFrom('contacts').selectAll().where('organization_id', '=', o).orderBy('created_at').execute()
const eventOf = async (id: string) =>
  (await pg.db.selectFrom('outbox').select('envelope').where('id', '=', id).executeTakeFirstOrThrow())
    .envelope as unknown as { contactId: string | null; conversationId: string }

describe(`openConversationRows (${process.env.LUNEO_TEST_DATABASE_URL ? 'server' : 'pglite'})`, () => {
  it('without a contact: the conversation, its event and its audit row as given', async () => {
    const i = input(null)
    const c = await openConversationRows(pg.db, i)
    expect(c).toMatchObject({
      id: i.id,
      organization_id: org,
      agent_id: agentId,
      contact_id: null,
      status: 'open',
    })
    expect(c!.created_at).toBeInstanceOf(Date)
    expect(await eventOf(i.event.id)).toEqual({
      id: 'e',
      conversationId: i.id,
      contactId: null,
      payload: { channel: 'api' },
    })
    const row = await pg.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', i.event.id)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      organization_id: org,
      partition_key: `${org}:${i.id}`,
      type: 'conversation.started',
      version: 1,
    })
    const audit = await pg.db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '=', i.audit.id)
      .executeTakeFirstOrThrow()
    const { details: _d, ...given } = i.audit
    expect(audit).toMatchObject({ ...given, details: {} })
  })

  it('merges the contact as upsertContact does: new, then by email in any case, then by phone', async () => {
    const first = input({ email: 'Ann@Example.com', name: 'Ann' })
    const c1 = await openConversationRows(pg.db, first)
    expect(c1!.contact_id).toBe(first.contact!.newId)
    expect((await eventOf(first.event.id)).contactId).toBe(first.contact!.newId)
    expect(await contactsOf(org)).toMatchObject([{ email: 'ann@example.com', phone: null, name: 'Ann' }])

    // Same email, other case: found; the phone it lacked is filled, the given name replaces it.
    const again = input({ email: 'ANN@example.com', phone: '+33 6 00', name: 'Ann B.' })
    const c2 = await openConversationRows(pg.db, again)
    expect(c2!.contact_id).toBe(c1!.contact_id)
    expect((await eventOf(again.event.id)).contactId).toBe(c1!.contact_id)
    expect(await contactsOf(org)).toMatchObject([
      { email: 'ann@example.com', phone: '+33 6 00', name: 'Ann B.' },
    ])

    // Unknown email, known phone: found by phone; its own email is kept, no name keeps the old one.
    const byPhone = input({ email: 'other@example.com', phone: '+33 6 00' })
    expect((await openConversationRows(pg.db, byPhone))!.contact_id).toBe(c1!.contact_id)
    expect(await contactsOf(org)).toMatchObject([
      { email: 'ann@example.com', phone: '+33 6 00', name: 'Ann B.' },
    ])
  })

  it('prefers the email match to the phone match, and leaves an unchanged contact alone', async () => {
    const a = await upsertContact(pg.db, org, newId(), { email: 'pref-a@example.com' })
    const b = await upsertContact(pg.db, org, newId(), { phone: '+1 555' })
    const i = input({ email: 'pref-a@example.com', phone: '+1 555' })
    expect((await openConversationRows(pg.db, i))!.contact_id).toBe(a.id)
    const after = await contactsOf(org)
    expect(after.find((k) => k.id === a.id)).toMatchObject({ phone: '+1 555' })
    expect(after.find((k) => k.id === b.id)).toEqual(b)
    // Nothing to change: the stored row is untouched (updated_at included).
    const same = (await contactsOf(org)).find((k) => k.id === a.id)!
    await openConversationRows(pg.db, input({ email: 'pref-a@example.com' }))
    expect((await contactsOf(org)).find((k) => k.id === a.id)).toEqual(same)
  })

  it('a contact with a name only is a new contact each time (nothing to find it by)', async () => {
    const before = (await contactsOf(org)).length
    await openConversationRows(pg.db, input({ name: 'Walk-in' }))
    await openConversationRows(pg.db, input({ name: 'Walk-in' }))
    expect((await contactsOf(org)).length).toBe(before + 2)
  })

  it("an unknown agent, or another organization's, writes nothing", async () => {
    const counts = async () =>
      Promise.all(
        (['contacts', 'conversations', 'outbox', 'audit_log'] as const).map(async (t) =>
          Number(
            (
              await pg.db
                .selectFrom(t)
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
        ),
      )
    const before = await counts()
    expect(
      await openConversationRows(pg.db, input({ email: 'ghost@example.com' }, { agent_id: newId() })),
    ).toBeUndefined()
    expect(
      await openConversationRows(pg.db, input({ email: 'ghost@example.com' }, { agent_id: otherAgentId })),
    ).toBeUndefined()
    expect(await counts()).toEqual(before)
    expect(await contactsOf(other)).toEqual([])
  })

  it.runIf(process.env.LUNEO_TEST_DATABASE_URL)('is a named prepared statement on a server', async () => {
    const named = await pg.db.transaction().execute(async (trx) => {
      await openConversationRows(trx, input(null))
      return sql<{ name: string }>`SELECT name FROM pg_prepared_statements`.execute(trx)
    })
    expect(named.rows.map((r) => r.name)).toContainEqual(
      expect.stringMatching(/^luneo_open_conversation_\d+$/),
    )
  })

  it('is all or nothing on its own: a failing last insert leaves no contact, conversation or event', async () => {
    const done = input(null)
    await openConversationRows(pg.db, done)
    // The audit row's id is taken: the statement's last insert fails, after the others ran.
    const failing = input({ email: 'half@example.com', name: 'Half' }, { audit: { ...done.audit } })
    await expect(openConversationRows(pg.db, failing)).rejects.toThrow(/duplicate key|unique/i)
    expect(
      await pg.db.selectFrom('conversations').select('id').where('id', '=', failing.id).execute(),
    ).toEqual([])
    expect(
      await pg.db.selectFrom('outbox').select('id').where('id', '=', failing.event.id).execute(),
    ).toEqual([])
    expect((await contactsOf(org)).filter((k) => k.email === 'half@example.com')).toEqual([])
  })

  it('keeps a given created_at (the demo replays history)', async () => {
    const at = new Date('2026-01-02T03:04:05.000Z')
    const c = await openConversationRows(pg.db, input(null, { created_at: at }))
    expect(c!.created_at.toISOString()).toBe(at.toISOString())
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../ids.js'
import { openTestPostgres } from '../../testing.js'
import type { PostgresHandle } from '../db.js'
import { dueEmails, enqueueEmail } from './emails.js'
import { insertOrganization } from './organizations.js'
import { dueWebhooks, enqueueWebhook } from './webhooks.js'

// A queued email or webhook is due the moment it is queued, to the dispatcher that is nudged right
// after the commit. Both are stamped and read by the API's clock: with the column's default (the
// database's now(), in microseconds) a row read in the millisecond it was written was not due yet
// by the API's clock (milliseconds), and waited for the next poll.

let pg: PostgresHandle & { label: string }
const org = newId()

beforeAll(async () => {
  pg = await openTestPostgres()
  await insertOrganization(pg.db, { id: org, name: 'Shop', vertical: 'ecommerce' })
})
afterAll(async () => {
  await pg?.close()
})

describe(`due as soon as queued (${process.env.LUNEO_TEST_DATABASE_URL ? 'server' : 'PGlite'})`, () => {
  it('emails: each one is among the due ones straight after it is queued', async () => {
    for (let i = 0; i < 200; i++) {
      const id = newId()
      const e = {
        id,
        organization_id: org,
        kind: 'k',
        to_address: `${i}@x.test`,
        subject: 's',
        text_body: 't',
      }
      await enqueueEmail(pg.db, e)
      expect((await dueEmails(pg.db, 1_000)).map((r) => r.id)).toContain(id)
    }
  })

  it('webhooks: each one is among the due ones straight after it is queued', async () => {
    for (let i = 0; i < 200; i++) {
      const id = newId()
      await enqueueWebhook(pg.db, {
        id,
        organization_id: org,
        event_type: 'e',
        url: 'https://x.test',
        payload: {},
      })
      expect((await dueWebhooks(pg.db, 1_000)).map((r) => r.id)).toContain(id)
    }
  })
})

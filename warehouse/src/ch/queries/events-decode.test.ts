import { describe, expect, it } from 'vitest'
import { ConversationEventRow, decodeConversationEvent } from './events.js'
import { RowIssue } from './rows.js'

// The hand-written decoder stands in for the schema on the pipelines' hot read: on every row below
// both must give the same verdict (and, when they accept it, the same value).
const good = {
  event_id: '0192f3a4-5b6c-7d8e-9f01-23456789abcd',
  type: 'reply.sent',
  at: 1_736_942_400_000,
  conv: '0192f3a4-5b6c-7d8e-9f01-23456789abce',
  agent: '0192f3a4-5b6c-7d8e-9f01-23456789abcf',
  vertical: 'ecommerce',
  payload: '{"text":"where is my order","tokens":{"in":12}}',
}

const rows: [string, Record<string, unknown>][] = [
  ['a whole row', good],
  ['no agent', { ...good, agent: null }],
  ['a 64-bit number quoted', { ...good, at: '1736942400000' }],
  ['an extra column (dropped)', { ...good, extra: 1 }],
  ['an empty payload object', { ...good, payload: '{}' }],
  ['event_id not a UUID', { ...good, event_id: 'nope' }],
  ['event_id missing', { ...good, event_id: undefined }],
  ['type not a string', { ...good, type: 3 }],
  ['at empty text', { ...good, at: '' }],
  ['at other text', { ...good, at: '12abc' }],
  ['at null', { ...good, at: null }],
  ['conv not a UUID', { ...good, conv: '0192f3a4' }],
  ['agent missing', { ...good, agent: undefined }],
  ['agent not a UUID', { ...good, agent: 'x' }],
  ['vertical null', { ...good, vertical: null }],
  ['payload not JSON', { ...good, payload: '{"text":' }],
  ['payload a JSON array', { ...good, payload: '[1,2]' }],
  ['payload JSON null', { ...good, payload: 'null' }],
  ['payload a JSON string', { ...good, payload: '"text"' }],
  ['payload already an object', { ...good, payload: { text: 'x' } }],
]

describe('decodeConversationEvent', () => {
  it.each(rows)('%s: the same verdict and value as the schema', (_, row) => {
    const schema = ConversationEventRow.safeParse(row)
    const decoded = decodeConversationEvent(row)
    if (schema.success) expect(decoded).toEqual(schema.data)
    else expect(decoded).toBeInstanceOf(RowIssue)
  })

  it('names the column that is wrong', () => {
    expect(decodeConversationEvent({ ...good, payload: '[1]' })).toMatchObject({ column: 'payload' })
    expect(decodeConversationEvent({ ...good, conv: 'x' })).toMatchObject({ column: 'conv', value: 'x' })
  })
})

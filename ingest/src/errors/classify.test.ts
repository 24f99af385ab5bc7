import {
  AuthenticationError,
  MultipleErrors,
  NetworkError,
  ProtocolError,
  TimeoutError,
} from '@platformatic/kafka'
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  classifyError,
  classifyKnownError,
  describeError,
  StreamFatalError,
  type ErrorClass,
} from './classify.js'

// The shape @clickhouse/client gives server and chDB errors alike, name "Error" included
// (checked on chDB in classify.int.test.ts).
const ch = (code: number, type: string, message = `${type} happened`) =>
  Object.assign(new Error(message), { code: String(code), type })
const pg = (code: string) => Object.assign(new Error(`pg ${code}`), { code, severity: 'ERROR' })
const errno = (code: string) =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:8123`), { code, syscall: 'connect' })
const kafka = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError({ message: type, type, code: 0, retriable } as never)
const zodError = () => z.object({ id: z.uuid() }).safeParse({ id: 'x' }).error

const table: [string, unknown, ErrorClass][] = [
  ['ClickHouse TOO_MANY_PARTS', ch(252, 'TOO_MANY_PARTS'), 'retry'],
  ['ClickHouse MEMORY_LIMIT_EXCEEDED', ch(241, 'MEMORY_LIMIT_EXCEEDED'), 'retry'],
  ['ClickHouse TIMEOUT_EXCEEDED', ch(159, 'TIMEOUT_EXCEEDED'), 'retry'],
  ['ClickHouse TOO_MANY_SIMULTANEOUS_QUERIES', ch(202, 'TOO_MANY_SIMULTANEOUS_QUERIES'), 'retry'],
  ['ClickHouse TABLE_IS_READ_ONLY (replica lost Keeper)', ch(242, 'TABLE_IS_READ_ONLY'), 'retry'],
  ['ClickHouse CANNOT_PARSE_UUID', ch(376, 'CANNOT_PARSE_UUID'), 'dead_letter'],
  ['ClickHouse CANNOT_PARSE_DATETIME', ch(41, 'CANNOT_PARSE_DATETIME'), 'dead_letter'],
  ['ClickHouse TYPE_MISMATCH', ch(53, 'TYPE_MISMATCH'), 'dead_letter'],
  ['ClickHouse VIOLATED_CONSTRAINT', ch(469, 'VIOLATED_CONSTRAINT'), 'dead_letter'],
  ['ClickHouse INCORRECT_DATA', ch(117, 'INCORRECT_DATA'), 'dead_letter'],
  ['ClickHouse UNKNOWN_TABLE', ch(60, 'UNKNOWN_TABLE'), 'crash'],
  ['ClickHouse UNKNOWN_DATABASE', ch(81, 'UNKNOWN_DATABASE'), 'crash'],
  ['ClickHouse NO_SUCH_COLUMN_IN_TABLE', ch(16, 'NO_SUCH_COLUMN_IN_TABLE'), 'crash'],
  ['ClickHouse AUTHENTICATION_FAILED', ch(516, 'AUTHENTICATION_FAILED'), 'crash'],
  // The client took "UUID" out of `Array(UUID)` in the message as the type: the code decides.
  [
    'ClickHouse code 60 with a misparsed type',
    ch(60, 'UUID', "Unknown table 'events' … 'Array(UUID)')"),
    'crash',
  ],
  ['ClickHouse code we do not list', ch(1, 'UNSUPPORTED_METHOD'), 'retry'],
  ['ECONNREFUSED', errno('ECONNREFUSED'), 'retry'],
  ['ECONNRESET', errno('ECONNRESET'), 'retry'],
  ['ETIMEDOUT', errno('ETIMEDOUT'), 'retry'],
  ['socket hang up', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'retry'],
  ['@clickhouse/client request timeout', new Error('Timeout error.'), 'retry'],
  ['Postgres connection failure (08006)', pg('08006'), 'retry'],
  ['Postgres serialization failure (40001)', pg('40001'), 'retry'],
  ['Postgres admin shutdown (57P01)', pg('57P01'), 'retry'],
  ['Postgres undefined table (42P01)', pg('42P01'), 'crash'],
  ['Postgres bad password (28P01)', pg('28P01'), 'crash'],
  ['kafkajs retriable LEADER_NOT_AVAILABLE', kafka('LEADER_NOT_AVAILABLE', true), 'retry'],
  [
    'kafkajs broker unreachable',
    new KafkaJSConnectionError('Connection error: connect ECONNREFUSED'),
    'retry',
  ],
  [
    'kafkajs retries exhausted on an unreachable broker',
    new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('connect ECONNREFUSED'), {
      retryCount: 5,
      retryTime: 3000,
    }),
    'retry',
  ],
  ['kafkajs MESSAGE_TOO_LARGE', kafka('MESSAGE_TOO_LARGE', false), 'dead_letter'],
  ['kafkajs TOPIC_AUTHORIZATION_FAILED', kafka('TOPIC_AUTHORIZATION_FAILED', false), 'crash'],
  ['platformatic NOT_LEADER_OR_FOLLOWER', new ProtocolError('NOT_LEADER_OR_FOLLOWER'), 'retry'],
  ['platformatic broker unreachable', new NetworkError('Connection to 127.0.0.1:9092 failed.'), 'retry'],
  ['platformatic request timeout', new TimeoutError('Request timed out'), 'retry'],
  ['platformatic MESSAGE_TOO_LARGE', new ProtocolError('MESSAGE_TOO_LARGE'), 'dead_letter'],
  ['platformatic TOPIC_AUTHORIZATION_FAILED', new ProtocolError('TOPIC_AUTHORIZATION_FAILED'), 'crash'],
  ['platformatic SASL refused', new AuthenticationError('SASL authentication failed'), 'crash'],
  [
    'platformatic aggregate with an authorization failure inside',
    new MultipleErrors('Producing failed.', [
      new NetworkError('reset'),
      new ProtocolError('TOPIC_AUTHORIZATION_FAILED'),
    ]),
    'crash',
  ],
  [
    'a wrapper whose cause is a missing table',
    new Error('insert failed', { cause: ch(60, 'UNKNOWN_TABLE') }),
    'crash',
  ],
  ['an envelope that does not parse (ZodError)', zodError(), 'dead_letter'],
  ['our own fatal condition', new StreamFatalError('no dead-letter writer'), 'crash'],
  ['a closed chDB session', new Error('ChdbConnection is closed'), 'crash'],
  ['anything else', new Error('something odd'), 'retry'],
  ['not an Error at all', 'a string', 'retry'],
]

describe('classifyError', () => {
  it.each(table.map(([label, err, want]) => [label, want, err] as const))('%s → %s', (_label, want, err) => {
    expect(classifyError(err)).toBe(want)
  })

  it('tells an unrecognised error (null) from a known transient one', () => {
    expect(classifyKnownError(new Error('something odd'))).toBeNull()
    expect(classifyKnownError(errno('ECONNREFUSED'))).toBe('retry')
  })

  it('describes an error by name, code and message', () => {
    const misparsed = ch(60, 'UUID', 'Unknown table expression identifier events')
    expect(describeError(misparsed)).toBe('UNKNOWN_TABLE (60): Unknown table expression identifier events')
    expect(describeError(errno('ECONNREFUSED'))).toBe('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:8123')
    expect(describeError(new Error('plain'))).toBe('plain')
    expect(describeError(ch(469, 'VIOLATED_CONSTRAINT', 'x'.repeat(2000)))).toHaveLength(1000)
  })
})

// What a loop that moves events does with an error (ADR 0014). Pure: it reads the error's own
// fields (ClickHouse code, Postgres SQLSTATE, Node errno, kafkajs and @platformatic/kafka fields)
// and imports no driver.

/**
 * - `retry`: the store or the network is having a bad moment; the same write will succeed later.
 * - `dead_letter`: the store rejected this row as invalid; retrying it can never succeed.
 * - `crash`: the process is misconfigured (schema missing, credentials wrong); stop loudly.
 */
export type ErrorClass = 'retry' | 'dead_letter' | 'crash'

// ClickHouse error codes (src/Common/ErrorCodes.cpp; checked against chDB's errorCodeToName in
// classify.int.test.ts). By number: the client parses the name out of the message text, and a
// message quoting `Array(UUID)` came back with type "UUID" (the number is parsed first, reliably).
export const clickHouseCodes: Readonly<Record<ErrorClass, Readonly<Record<number, string>>>> = {
  retry: {
    159: 'TIMEOUT_EXCEEDED',
    160: 'TOO_SLOW',
    173: 'CANNOT_ALLOCATE_MEMORY',
    202: 'TOO_MANY_SIMULTANEOUS_QUERIES',
    209: 'SOCKET_TIMEOUT',
    210: 'NETWORK_ERROR',
    236: 'ABORTED',
    241: 'MEMORY_LIMIT_EXCEEDED',
    242: 'TABLE_IS_READ_ONLY',
    243: 'NOT_ENOUGH_SPACE',
    252: 'TOO_MANY_PARTS',
    279: 'ALL_CONNECTION_TRIES_FAILED',
    394: 'QUERY_WAS_CANCELLED',
    745: 'SERVER_OVERLOADED',
    999: 'KEEPER_EXCEPTION',
  },
  dead_letter: {
    6: 'CANNOT_PARSE_TEXT',
    7: 'INCORRECT_NUMBER_OF_COLUMNS',
    25: 'CANNOT_PARSE_ESCAPE_SEQUENCE',
    26: 'CANNOT_PARSE_QUOTED_STRING',
    27: 'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
    32: 'ATTEMPT_TO_READ_AFTER_EOF',
    38: 'CANNOT_PARSE_DATE',
    41: 'CANNOT_PARSE_DATETIME',
    53: 'TYPE_MISMATCH',
    70: 'CANNOT_CONVERT_TYPE',
    72: 'CANNOT_PARSE_NUMBER',
    117: 'INCORRECT_DATA',
    128: 'TOO_LARGE_ARRAY_SIZE',
    130: 'CANNOT_READ_ARRAY_FROM_TEXT',
    131: 'TOO_LARGE_STRING_SIZE',
    321: 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
    349: 'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN',
    376: 'CANNOT_PARSE_UUID',
    441: 'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING',
    467: 'CANNOT_PARSE_BOOL',
    469: 'VIOLATED_CONSTRAINT',
    675: 'CANNOT_PARSE_IPV4',
    676: 'CANNOT_PARSE_IPV6',
  },
  crash: {
    8: 'THERE_IS_NO_COLUMN',
    10: 'NOT_FOUND_COLUMN_IN_BLOCK',
    16: 'NO_SUCH_COLUMN_IN_TABLE',
    46: 'UNKNOWN_FUNCTION',
    47: 'UNKNOWN_IDENTIFIER',
    60: 'UNKNOWN_TABLE',
    62: 'SYNTAX_ERROR',
    73: 'UNKNOWN_FORMAT',
    81: 'UNKNOWN_DATABASE',
    115: 'UNKNOWN_SETTING',
    164: 'READONLY',
    192: 'UNKNOWN_USER',
    193: 'WRONG_PASSWORD',
    194: 'REQUIRED_PASSWORD',
    497: 'ACCESS_DENIED',
    516: 'AUTHENTICATION_FAILED',
  },
}

// Node and undici socket errors: the peer is down, slow or restarting.
const networkErrnos = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
])

// Postgres SQLSTATE: a connection, resource or concurrency problem passes; a missing relation,
// column, database or a refused login does not.
const pgRetryClasses = ['08', '40', '53', '57']
const pgCrashCodes = new Set(['42P01', '42703', '42883', '3D000', '3F000', '28000', '28P01', '42501'])

// kafkajs: a message the broker refuses for itself (too large, corrupt) vs a client that may not
// talk to the cluster at all.
const kafkaDeadLetterTypes = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
])
const kafkaCrashTypes = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
  'INVALID_TOPIC_EXCEPTION',
  'UNSUPPORTED_VERSION',
])

/**
 * Thrown by our own code for a condition that must stop the process (classified `crash`).
 * `retriable = false` also tells kafkajs not to restart a consumer whose handler threw it.
 */
export class StreamFatalError extends Error {
  override name = 'StreamFatalError'
  readonly retriable = false
}

interface ErrorFields {
  name?: unknown
  message?: unknown
  code?: unknown
  type?: unknown
  severity?: unknown
  retriable?: unknown
  cause?: unknown
  // @platformatic/kafka: the Kafka protocol error's name, whether the client would retry it, and
  // the errors an aggregate (PLT_KFK_MULTIPLE / PLT_KFK_RESPONSE) carries.
  apiId?: unknown
  canRetry?: unknown
  errors?: unknown
}

/**
 * The class of an error from ClickHouse (server or chDB), Postgres, Kafka or the network. Walks the
 * `cause` chain (kafkajs and chDB wrap). Anything unrecognised (a dropped socket without errno,
 * "socket hang up", a client timeout) is `retry`: callers back off and log every retried error.
 */
export function classifyError(err: unknown): ErrorClass {
  return classifyKnownError(err) ?? 'retry'
}

/** The class of an error this module recognises, or null: for a loop that retries only known-transient errors. */
export function classifyKnownError(err: unknown): ErrorClass | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const known = classifyOne(e)
    if (known) return known
    e = (e as ErrorFields).cause
  }
  return null
}

function classifyOne(e: ErrorFields): ErrorClass | null {
  const name = typeof e.name === 'string' ? e.name : ''
  const message = typeof e.message === 'string' ? e.message : ''
  if (name === 'StreamFatalError') return 'crash'
  if (name.startsWith('KafkaJS')) return classifyKafka(e, name)
  if (typeof e.code === 'string' && e.code.startsWith('PLT_KFK_')) return classifyPlatformaticKafka(e, e.code)
  if (isClickHouseError(e)) return classifyClickHouse(e)
  if (typeof e.code === 'string' && typeof e.severity === 'string') return classifyPostgres(e.code)
  if (typeof e.code === 'string' && networkErrnos.has(e.code)) return 'retry'
  if (name === 'ZodError') return 'dead_letter'
  // A chDB session used after close(): a bug in the shutdown order, not a bad moment.
  if (name === 'ChdbClosedError' || /ChdbConnection is closed/.test(message)) return 'crash'
  return null
}

// @clickhouse/client's ClickHouseError keeps the name "Error": know it by its numeric code and type.
function isClickHouseError(e: ErrorFields): boolean {
  return typeof e.code === 'string' && /^\d+$/.test(e.code) && typeof e.type === 'string'
}

function classifyClickHouse(e: ErrorFields): ErrorClass | null {
  const code = Number(e.code)
  for (const cls of ['retry', 'dead_letter', 'crash'] as const) {
    if (clickHouseCodes[cls][code] !== undefined) return cls
  }
  return null
}

function classifyPostgres(sqlstate: string): ErrorClass | null {
  if (pgCrashCodes.has(sqlstate)) return 'crash'
  if (pgRetryClasses.includes(sqlstate.slice(0, 2))) return 'retry'
  return null
}

function classifyKafka(e: ErrorFields, name: string): ErrorClass | null {
  const type = typeof e.type === 'string' ? e.type : ''
  if (kafkaDeadLetterTypes.has(type)) return 'dead_letter'
  if (kafkaCrashTypes.has(type)) return 'crash'
  // kafkajs marks broker states it would retry itself (leader moving, coordinator loading) and
  // connection failures as retriable; its wrappers (retries exhausted) keep the cause.
  if (e.retriable === true || name === 'KafkaJSNumberOfRetriesExceeded') return 'retry'
  return null
}

const platformaticCrashCodes = new Set([
  'PLT_KFK_AUTHENTICATION',
  'PLT_KFK_UNSUPPORTED',
  'PLT_KFK_UNSUPPORTED_API',
  'PLT_KFK_UNSUPPORTED_COMPRESSION',
  'PLT_KFK_UNSUPPORTED_FORMAT',
])

function classifyPlatformaticKafka(e: ErrorFields, code: string): ErrorClass | null {
  if (platformaticCrashCodes.has(code)) return 'crash'
  // Protocol errors carry Kafka's own error names, the same kafkajs puts in `type`.
  const id = typeof e.apiId === 'string' ? e.apiId : ''
  if (kafkaDeadLetterTypes.has(id)) return 'dead_letter'
  if (kafkaCrashTypes.has(id)) return 'crash'
  if (Array.isArray(e.errors)) {
    const classes = e.errors.map((inner) => classifyKnownError(inner))
    for (const cls of ['crash', 'dead_letter', 'retry'] as const) if (classes.includes(cls)) return cls
  }
  if (e.canRetry === true || code === 'PLT_KFK_NETWORK' || code === 'PLT_KFK_TIMEOUT') return 'retry'
  return null
}

/** `NAME (code): message` for a dead-letter `detail` or a log line; the message cut to `max`. */
export function describeError(err: unknown, max = 1000): string {
  const e = (err ?? {}) as ErrorFields
  const message = typeof e.message === 'string' ? e.message : String(err)
  const code = typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : null
  const type = typeof e.type === 'string' ? e.type : null
  const label = isClickHouseError(e) ? `${clickHouseName(Number(code)) ?? type} (${code})` : (type ?? code)
  return `${label ? `${label}: ` : ''}${message}`.slice(0, max)
}

function clickHouseName(code: number): string | null {
  for (const table of Object.values(clickHouseCodes)) if (table[code]) return table[code]
  return null
}

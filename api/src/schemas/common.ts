import { z } from 'zod'
import { ROLES, SCOPES, VERTICALS } from '@luneo/warehouse'
import { errorCatalogue, type ErrorCode, type Problem as ProblemDetails } from '../errors.js'

export const Id = z.uuid({ message: 'must be a UUID' })
export const IdParams = z.object({ id: Id }).strict()
/**
 * An ISO instant with its offset, within years 1-9999 once in UTC: an offset can move a valid
 * string (0001-01-01T00:00:00+00:59) to year 0, which Postgres neither stores nor compares.
 */
export const Timestamp = z.iso.datetime({ offset: true }).refine((t) => {
  const y = new Date(t).getUTCFullYear()
  return y >= 1 && y <= 9999
}, 'between the years 1 and 9999 in UTC')
/** A time a query may range over: ClickHouse's DateTime64 and our data start in 2000, end before 2100. */
export const RangeTimestamp = Timestamp.refine((t) => {
  const y = new Date(t).getUTCFullYear()
  return y >= 2000 && y < 2100
}, 'between the years 2000 and 2099')
/**
 * An address within RFC 5321's limits: 254 in all, a local part of 64, domain labels of 63. The
 * document says `format: email`, and clients that check the format refuse longer parts.
 */
export const Email = z
  .email()
  .max(254)
  .refine((e) => {
    const [local = '', domain = ''] = e.split('@')
    return local.length <= 64 && domain.split('.').every((label) => label.length <= 63)
  }, 'local part at most 64 characters, domain labels at most 63')
export const Vertical = z.enum(VERTICALS)
export const Role = z.enum(ROLES)
export const Scope = z.enum(SCOPES)

export const PageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: Id.optional(),
  })
  .strict()

/** A list answer: `{items, nextCursor}`; pass nextCursor back as `cursor` for the next page. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: Id.nullable() })

export const iso = (d: Date): string => d.toISOString()
export const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null)

const errorCodes = Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]]

/** RFC 9457 problem details: every error the API answers. Clients switch on `code` (errors.ts). */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(errorCodes),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({
        description:
          'With validation_failed: one entry per refused field (`body.name`, `querystring.limit`…)',
      }),
  })
  .meta({ id: 'Problem' }) satisfies z.ZodType<ProblemDetails>

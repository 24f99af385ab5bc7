import { z } from 'zod'

export const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' })
export const Ready = z
  .object({ status: z.literal('ready'), postgres: z.string(), clickhouse: z.string() })
  .meta({ id: 'Readiness' })

import { z } from 'zod'
import { Id, Timestamp } from './common.js'

export const RunPipelines = z
  .object({
    job: z.string().max(100).optional(),
    organizationId: Id.optional(),
    since: Timestamp.optional(),
    full: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'RunPipelines' })

export const PipelineRuns = z
  .object({
    jobs: z.array(
      z.object({
        job: z.string(),
        organizationId: z.string(),
        rowsIn: z.number(),
        rowsOut: z.number(),
        ms: z.number(),
        from: z.string(),
        to: z.string(),
      }),
    ),
  })
  .meta({ id: 'PipelineRuns' })

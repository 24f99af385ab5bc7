import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppDeps } from '../context.js'
import { AppError } from '../errors.js'
import { globalJobs, maintenanceJobs, organizationJobs } from '@luneo/pipelines'
import { PipelineRuns, RunPipelines } from '../schemas/operator.js'

/**
 * Operator routes (LUNEO_OPERATOR_TOKEN). In embedded mode one process owns chDB's data dir, so
 * `luneo pipelines run` asks the running server to run the jobs instead of opening it twice.
 */
export const operatorRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/internal/pipelines/run',
    {
      schema: {
        operationId: 'runPipelines',
        tags: ['operator'],
        body: RunPipelines,
        response: { 200: PipelineRuns },
      },
      config: { access: 'operator' },
    },
    async (req) => {
      const names = [...organizationJobs, ...maintenanceJobs, ...globalJobs].map((j) => j.name)
      const { job } = req.body
      if (job && !names.some((n) => n === job || n.startsWith(`${job}_`))) {
        throw new AppError('validation_failed', `Unknown job ${job}`, [
          { path: 'body.job', message: `one of ${names.join(', ')}` },
        ])
      }
      const reports = await deps.pipelines.runAll({
        only: job,
        organizationId: req.body.organizationId,
        since: req.body.since ? new Date(req.body.since) : undefined,
        full: req.body.full,
      })
      return { jobs: reports }
    },
  )
}

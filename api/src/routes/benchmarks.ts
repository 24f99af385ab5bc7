import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppDeps } from '../context.js'
import { authOf } from '../plugins/auth.js'
import { IdParams } from '../schemas/common.js'
import { Benchmarks, ExperimentResults } from '../schemas/flywheel.js'
import { benchmarksFor } from '../services/benchmarks.js'
import { experimentResults } from '../services/experiment-results.js'

const tags = ['analytics']
const read = { role: 'viewer', scopes: ['analytics:read'] } as const

/** Vertical benchmarks (k-anonymous) and prompt-experiment results (posteriors, weights, history). */
export const benchmarkRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/analytics/benchmarks',
    {
      schema: { operationId: 'getBenchmarks', tags, response: { 200: Benchmarks } },
      config: { access: read },
    },
    async (req) => benchmarksFor(deps, authOf(req)),
  )
  app.get(
    '/analytics/experiments/:id',
    {
      schema: {
        operationId: 'getExperimentResults',
        tags,
        params: IdParams,
        response: { 200: ExperimentResults },
      },
      config: { access: read },
    },
    async (req) => experimentResults(deps, authOf(req), req.params.id),
  )
}

import { outboxMark, waitForCoverage, type Coverage } from '@luneo/ingest'
import type { RunReport } from '@luneo/pipelines'
import type { Auth } from '../caller.js'
import type { AppDeps } from '../context.js'
import { iso } from '../schemas/common.js'

/**
 * POST /analytics/refresh: the organization's jobs over every event it committed before the call.
 * Under load the drainer (or relay and sink) runs behind the writes, so the jobs first wait, up
 * to `refreshWaitMs`, for the outbox to pass the call's mark; past the bound they run anyway on
 * what arrived, and the answer says what was missing (issue 12: a refresh under another tenant's
 * traffic computed over a partial window).
 */
export async function refreshAnalytics(deps: AppDeps, auth: Auth) {
  const mark = await outboxMark(deps.db)
  let coverage: Coverage | undefined
  // Inside the runner's admission: a full queue answers 429 at once, not after the wait.
  const reports: RunReport[] = await deps.pipelines.refresh(auth.organizationId, {
    before: async () => {
      coverage = await waitForCoverage(deps.db, auth.organizationId, mark, {
        deadline: mark.at.getTime() + deps.config.refreshWaitMs,
        nudge: deps.onEventsCommitted,
        stream: deps.streamProgress,
      })
    },
  })
  if (!coverage) throw new Error('the pipeline runner ran a refresh without its wait')
  return {
    coverage: { ...coverage, committedBefore: iso(mark.at) },
    jobs: reports.map((r) => ({ job: r.job, rowsIn: r.rowsIn, rowsOut: r.rowsOut, ms: r.ms })),
  }
}

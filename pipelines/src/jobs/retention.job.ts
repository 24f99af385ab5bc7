import {
  deleteConversations,
  deleteExpiredRows,
  deleteIdleContacts,
  deleteOldWebhookDeliveries,
  deleteStaleOpenGaps,
  expiredConversationIds,
  getRetentionPolicy,
} from '@luneo/warehouse'
import { defineJob } from '../runner/job.js'
import { ranToday, retentionCutoffs } from './retention.js'

/** Conversations deleted per transaction: short transactions, the API keeps writing meanwhile. */
const BATCH = 500

/**
 * Enforces the organization's retention policy (docs/adr/0022): in Postgres, conversations whose
 * last activity is past the policy (messages, feedback, outcomes, tasks, webhook deliveries and
 * outbox rows with them), contacts left with no conversation, open knowledge gaps not seen since;
 * in ClickHouse, the organization's text rows and aggregates past their cutoffs. Idempotent and
 * incremental: day-aligned cutoffs, at most once per UTC day (a `--full` run forces it).
 */
export const retention = defineJob({
  name: 'retention_v1',
  scope: 'organization',
  lookbackMs: 0,
  async run(ctx) {
    const org = ctx.organizationId!
    if (!ctx.full && ranToday(ctx.since, ctx.to)) return { rowsIn: 0, rowsOut: 0 }
    const policy = await getRetentionPolicy(ctx.db, org)
    if (!policy) return { rowsIn: 0, rowsOut: 0 }
    const cut = retentionCutoffs(ctx.to, policy)
    let deleted = 0
    for (;;) {
      const ids = await expiredConversationIds(ctx.db, org, cut.conversationsBefore, BATCH)
      if (ids.length === 0) break
      const d = await ctx.db.transaction().execute((trx) => deleteConversations(trx, org, ids))
      deleted += d.conversations + d.messages
      if (ids.length < BATCH) break
    }
    deleted += await ctx.db.transaction().execute(async (trx) => {
      const contacts = await deleteIdleContacts(trx, org, cut.conversationsBefore)
      const gaps = await deleteStaleOpenGaps(trx, org, cut.conversationsBefore)
      const hooks = await deleteOldWebhookDeliveries(trx, org, cut.conversationsBefore)
      return contacts + gaps + hooks
    })
    const ch = await deleteExpiredRows(ctx.ch, {
      organizationId: org,
      textBefore: cut.conversationsBefore,
      aggregatesBefore: cut.aggregatesBefore,
    })
    const rowsOut = deleted + ch.text + ch.aggregates
    if (rowsOut > 0) ctx.log?.(`[retention] org=${org.slice(0, 8)} deleted ${rowsOut} rows`)
    return { rowsIn: rowsOut, rowsOut }
  },
})

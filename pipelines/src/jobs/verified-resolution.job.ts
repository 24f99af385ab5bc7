import { redactPii } from '@luneo/models'
import { chDateTime, transcriptMessages, unjudgedClosedConversations } from '@luneo/warehouse'
import { defineJob } from '../runner/job.js'
import { inSample, JUDGE_SYSTEM, parseVerdict, transcript } from './verified-resolution.js'

const DAY = 24 * 3600 * 1000
const MAX_PER_RUN = 200

/**
 * Verified resolution: a configured remote model judges a deterministic sample of closed
 * conversations (redacted transcript) and its verdict and reason are kept in
 * conversation_verdicts_v1. Without a judge (local provider) the job does nothing and the
 * verified rate stays null. Judged conversations are not judged again.
 */
export const verifiedResolution = defineJob({
  name: 'verified_resolution_v1',
  scope: 'organization',
  lookbackMs: 9 * DAY,
  async run(ctx) {
    const judge = ctx.judge
    if (!judge) return { rowsIn: 0, rowsOut: 0 }
    const org = ctx.organizationId!
    const candidates = await unjudgedClosedConversations(ctx.ch, {
      organizationId: org,
      from: ctx.from,
      to: ctx.to,
    })
    const sample = candidates.filter((c) => inSample(c, judge.sampleRate)).slice(0, MAX_PER_RUN)
    const rows = []
    for (const conversationId of sample) {
      const messages = await transcriptMessages(ctx.db, org, conversationId, 40)
      if (messages.length === 0) continue
      // The transcript leaves Postgres for a remote model: PII is redacted first.
      const text = transcript(messages.map((m) => ({ role: m.role, text: redactPii(m.text).text })))
      const answer = await judge.provider.complete({
        model: judge.model,
        system: JUDGE_SYSTEM,
        messages: [{ role: 'user', content: text }],
        context: { chunks: [] },
        maxTokens: 120,
      })
      const verdict = answer.provider === 'local' ? null : parseVerdict(answer.text)
      if (!verdict) continue
      rows.push({
        organization_id: org,
        conversation_id: conversationId,
        verified: Number(verdict.verified),
        reason: verdict.reason,
        model: answer.model,
        judged_at: chDateTime(Date.now()),
      })
    }
    if (rows.length)
      await ctx.ch.insert({ table: 'conversation_verdicts_v1', values: rows, format: 'JSONEachRow' })
    return { rowsIn: candidates.length, rowsOut: rows.length }
  },
})

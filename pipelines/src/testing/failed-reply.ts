import { chDateTime, newId, type Ch } from '@luneo/warehouse'
import { replySignalRow } from '@luneo/warehouse/testing'

/**
 * Writes one failed reply (unanswered) to reply_signals_v1, as learning_signals_v1 would at `at`,
 * for the knowledge-gap job to find. Returns its reply id.
 */
export async function insertFailedReply(
  ch: Ch,
  r: { organizationId: string; at: number; question: string; escalated?: number; conversationId?: string },
): Promise<string> {
  const replyId = newId()
  await ch.insert({
    table: 'reply_signals_v1',
    values: [
      replySignalRow(r.at, {
        organization_id: r.organizationId,
        reply_id: replyId,
        conversation_id: r.conversationId ?? newId(),
        question: r.question,
        unanswered: 1,
        escalated_after: r.escalated ?? 0,
        computed_at: chDateTime(r.at),
      }),
    ],
    format: 'JSONEachRow',
  })
  return replyId
}

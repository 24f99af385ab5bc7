import { conversationsOfReplies, type KnowledgeGap } from '@luneo/warehouse'
import type { Auth } from '../caller.js'
import type { AppDeps } from '../context.js'

export interface GapConversations {
  /** Distinct conversations its questions were asked in (those the outcome mart holds). */
  conversations: number
  /** When the first of them started (ISO), null when none: where the report's period begins. */
  firstConversationAt: string | null
}

/**
 * Per gap of a page, the conversations behind its questions, in one ClickHouse read: the number a
 * gap's row links from, and the period that link needs so the report shows all of them.
 */
export async function gapConversations(
  deps: AppDeps,
  auth: Auth,
  gaps: KnowledgeGap[],
): Promise<Map<string, GapConversations>> {
  const rows = await conversationsOfReplies(deps.ch, {
    organizationId: auth.organizationId,
    replyIds: gaps.flatMap((g) => g.member_ids),
  })
  const byReply = new Map(rows.map((r) => [r.reply_ref, r]))
  return new Map(
    gaps.map((g) => {
      const seen = new Map<string, string>()
      for (const id of g.member_ids) {
        const r = byReply.get(id)
        if (r) seen.set(r.conversation_ref, r.started_at)
      }
      const first = [...seen.values()].sort()[0]
      return [g.id, { conversations: seen.size, firstConversationAt: first ?? null }]
    }),
  )
}

// What the engine recorded about one AI reply (GET /conversations/{id} → message.reply): its
// intent and confidence, the knowledge documents it drew on, the actions it ran and whether it
// handed the conversation to a person. Null fields are replies recorded before they were kept.
import type { Schemas } from '@/lib/api'
import { fmtRatio } from '@/lib/format'

type Reply = NonNullable<Schemas['Message']['reply']>

const REASON: Record<NonNullable<Reply['escalationReason']>, string> = {
  asked: 'the customer asked for a person',
  low_confidence: 'two unanswered replies in a row',
  sentiment: 'the customer was upset',
  safety: 'a safety rule stopped the reply',
  action_failure: 'an action failed',
}

export function ReplyDetail({ reply }: { reply: Reply }) {
  return (
    <dl className="mt-2 grid grid-cols-1 gap-x-4 gap-y-1 border-t border-blue-100 pt-2 text-xs text-gray-800 sm:grid-cols-[auto_1fr]">
      <dt className="font-medium">Intent</dt>
      <dd data-testid="reply-intent">
        {reply.intent.replaceAll('_', ' ')} ({fmtRatio(reply.confidence)} confident)
      </dd>
      <dt className="font-medium">Sources</dt>
      <dd data-testid="reply-sources">
        {reply.sources.length === 0 ? (
          <span>none — {reply.grounded ? 'grounded' : 'not grounded in knowledge'}</span>
        ) : (
          <ul className="flex flex-wrap gap-1">
            {reply.sources.map((s) => (
              <li key={s.documentId} className="rounded bg-white px-1.5 py-0.5 ring-1 ring-blue-200">
                {s.title ?? 'a deleted document'}
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt className="font-medium">Actions</dt>
      <dd data-testid="reply-actions">
        {reply.actions === null
          ? 'not recorded for this reply'
          : reply.actions.length === 0
            ? 'none'
            : reply.actions
                .map(
                  (a) =>
                    `${a.name.replaceAll('_', ' ')}: ${a.needsInput ? 'needs input' : a.ok ? 'done' : 'failed'}`,
                )
                .join(', ')}
      </dd>
      <dt className="font-medium">Escalation</dt>
      <dd data-testid="reply-escalation">
        {reply.escalated === null
          ? 'not recorded for this reply'
          : reply.escalated
            ? `handed to a person${reply.escalationReason ? `: ${REASON[reply.escalationReason]}` : ''}`
            : 'no'}
      </dd>
    </dl>
  )
}

import { documentTitles, type Db } from '@luneo/warehouse'
import { z } from 'zod'

// The engine's record of a reply, as commit.ts writes it into messages.metadata. Read leniently:
// replies written before a field existed (actions, escalation: 2026-11-30) show it as null,
// never as a guessed "no action, not escalated".
const Recorded = z.object({
  intent: z.string().catch('unknown'),
  confidence: z.number().catch(0),
  grounded: z.boolean().catch(false),
  variantId: z.string().nullable().catch(null),
  sources: z.array(z.string()).catch([]),
  actions: z
    .array(z.object({ name: z.string(), ok: z.boolean(), needsInput: z.boolean() }))
    .nullable()
    .catch(null),
  escalated: z.boolean().nullable().catch(null),
  escalationReason: z
    .enum(['asked', 'low_confidence', 'sentiment', 'safety', 'action_failure'])
    .nullable()
    .catch(null),
})

const clamp01 = (x: number) => Math.min(1, Math.max(0, x))

/** Each agent message's reply detail (null for other roles), sources titled in one query. */
export async function replyDetails(
  db: Db,
  organizationId: string,
  messages: { role: string; metadata: unknown }[],
) {
  const recorded = messages.map((m) => (m.role === 'agent' ? Recorded.parse(m.metadata ?? {}) : null))
  const ids = [...new Set(recorded.flatMap((r) => r?.sources ?? []))]
  const titles = await documentTitles(db, organizationId, ids)
  return recorded.map((r) =>
    r === null
      ? null
      : {
          intent: r.intent,
          confidence: clamp01(r.confidence),
          grounded: r.grounded,
          variantId: r.variantId,
          // A reply retrieves several chunks of one document: name the document once.
          sources: [...new Set(r.sources)].map((id) => ({
            documentId: id,
            knowledgeBaseId: titles.get(id)?.knowledgeBaseId ?? null,
            title: titles.get(id)?.title ?? null,
          })),
          actions: r.actions,
          escalated: r.escalated,
          escalationReason: r.escalationReason,
        },
  )
}

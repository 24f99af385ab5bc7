import type { Db } from '@luneo/warehouse'
import type { Caller } from '../caller.js'
import type { EscalationReason } from './escalation.js'
import type { InboundMessage } from './normalize.js'

/** What the API returns for one turn. */
export interface EngineReply {
  conversationId: string
  messageId: string
  replyId: string
  reply: string
  intent: string
  confidence: number
  grounded: boolean
  sources: { documentId: string; knowledgeBaseId: string; title: string; score: number }[]
  actions: { name: string; ok: boolean; needsInput: boolean; data: Record<string, unknown> }[]
  escalated: boolean
  escalationReason: EscalationReason | null
  variantId: string | null
  usage: {
    promptTokens: number
    completionTokens: number
    tokens: number
    costUsd: number
    model: string
    provider: string
  }
}

/** The conversation engine: one customer message in, one reply out, everything committed together. */
export interface Engine {
  /**
   * `withTurn` writes the caller's own rows in the turn's transaction (the widget's spend ledger):
   * they commit with the turn or not at all.
   */
  respond(
    caller: Caller,
    conversationId: string,
    inbound: InboundMessage,
    withTurn?: WithTurn,
  ): Promise<EngineReply>
}

/** Extra writes that belong to the turn, run inside its transaction once it is written. */
export type WithTurn = (trx: Db, reply: EngineReply) => Promise<void>

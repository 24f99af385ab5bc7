import { cosine } from '../embeddings/embedder.js'
import { embedText } from '../embeddings/local-embedder.js'
import { styleReply } from './local-style.js'
import {
  bestScore,
  estimateTokens,
  type CompletionRequest,
  type ContextChunk,
  type LlmProvider,
} from './types.js'

export interface LocalProviderOptions {
  /** Below this best retrieval score the provider says it doesn't know (default 0.35). */
  minScore?: number
  /** Most sentences an answer quotes (default 3). */
  maxSentences?: number
}

const PHRASES: Record<string, { dontKnow: string; offerHuman: string }> = {
  en: {
    dontKnow: "I'm sorry, I don't have the answer to that yet.",
    offerHuman: 'Would you like me to connect you with a member of our team?',
  },
  fr: {
    dontKnow: "Désolé, je n'ai pas encore la réponse à cette question.",
    offerHuman: 'Souhaitez-vous que je vous mette en relation avec un membre de notre équipe ?',
  },
  es: {
    dontKnow: 'Lo siento, todavía no tengo la respuesta.',
    offerHuman: '¿Quiere que le ponga en contacto con alguien de nuestro equipo?',
  },
  de: {
    dontKnow: 'Das weiß ich leider noch nicht.',
    offerHuman: 'Soll ich Sie mit jemandem aus unserem Team verbinden?',
  },
}

const DIM = 512

/** Deterministic extractive provider: answers with the context sentences closest to the question. */
export function createLocalProvider(opts: LocalProviderOptions = {}): LlmProvider {
  const minScore = opts.minScore ?? 0.35
  const maxSentences = opts.maxSentences ?? 3
  return {
    id: 'local',
    async complete(req) {
      const question = lastUserMessage(req)
      const phrases = PHRASES[(req.context.language ?? 'en').slice(0, 2)] ?? PHRASES.en!
      const usable = req.context.chunks.filter((c) => c.score >= minScore)
      const grounded = usable.length > 0 && bestScore(req.context.chunks) >= minScore
      const body = grounded
        ? extractAnswer(question, usable, req.context.style?.maxSentences ?? maxSentences)
        : `${phrases.dontKnow} ${phrases.offerHuman}`
      const text = styleReply(req, body, grounded ? usable : [])
      const prompt = [
        req.system,
        ...req.messages.map((m) => m.content),
        ...req.context.chunks.map((c) => c.text),
      ].join('\n')
      return {
        text,
        grounded,
        usage: { promptTokens: estimateTokens(prompt), completionTokens: estimateTokens(text) },
        model: req.model || 'local-extractive-v1',
        provider: 'local',
      }
    },
  }
}

function lastUserMessage(req: CompletionRequest): string {
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const m = req.messages[i]
    if (m?.role === 'user') return m.content
  }
  return ''
}

/** Split on sentence ends; keeps abbreviations like "e.g." mostly intact by requiring a space + capital/digit. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

/**
 * Rank sentences of the usable chunks by similarity to the question, weighted by their chunk's
 * retrieval score, keep the best few and restore document order so the answer reads naturally.
 */
function extractAnswer(question: string, chunks: ContextChunk[], maxSentences: number): string {
  const q = embedText(question, DIM)
  const candidates = chunks.slice(0, 3).flatMap((chunk, ci) =>
    splitSentences(chunk.text).map((sentence, si) => ({
      sentence,
      order: ci * 1000 + si,
      score: cosine(q, embedText(sentence, DIM)) * 0.7 + chunk.score * 0.3,
    })),
  )
  const ranked = [...candidates].sort((a, b) => b.score - a.score)
  const top = ranked[0]
  // Keep sentences within reach of the best one: a loosely related tail makes answers worse.
  const kept = ranked.filter((c) => top !== undefined && c.score >= top.score * 0.6).slice(0, maxSentences)
  return kept
    .sort((a, b) => a.order - b.order)
    .map((c) => c.sentence)
    .join(' ')
}

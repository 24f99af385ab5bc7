import { cosine, type Embedder } from '../embeddings/embedder.js'
import { createLocalEmbedder } from '../embeddings/local-embedder.js'
import { splitSentences } from '../text/sentences.js'
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
  /**
   * Ranks the chunks' sentences against the question: the retrieval embedder, so an answer is
   * picked in the same vector space its chunks were found in (default: the hashing embedder).
   */
  embedder?: Embedder
  /**
   * Knowledge sentences whose vectors are kept (default 4,096, ~12 MB at 384 dimensions; 0 keeps
   * none). The same chunks answer many turns, and their sentences were embedded on every one of
   * them: ~90 % of the answer's model time. The question is never kept (each is a new text).
   */
  sentenceCache?: number
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

/** Deterministic extractive provider: answers with the context sentences closest to the question. */
export function createLocalProvider(opts: LocalProviderOptions = {}): LlmProvider {
  const minScore = opts.minScore ?? 0.35
  const maxSentences = opts.maxSentences ?? 3
  const embedder = opts.embedder ?? createLocalEmbedder()
  const vectors = new SentenceVectors(embedder, opts.sentenceCache ?? 4096)
  return {
    id: 'local',
    async complete(req) {
      const question = lastUserMessage(req)
      const phrases = PHRASES[(req.context.language ?? 'en').slice(0, 2)] ?? PHRASES.en!
      const usable = req.context.chunks.filter((c) => c.score >= minScore)
      const grounded = usable.length > 0 && bestScore(req.context.chunks) >= minScore
      const body = grounded
        ? await extractAnswer(
            vectors,
            question,
            req.context.questionVector?.embedder === embedder.id
              ? req.context.questionVector.vector
              : undefined,
            usable,
            req.context.style?.maxSentences ?? maxSentences,
          )
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

/**
 * Rank sentences of the usable chunks by similarity to the question, weighted by their chunk's
 * retrieval score, keep the best few and restore document order so the answer reads naturally.
 */
async function extractAnswer(
  sentenceVectors: SentenceVectors,
  question: string,
  /** The question's vector when retrieval already made it in this embedder's space. */
  questionVector: number[] | undefined,
  chunks: ContextChunk[],
  maxSentences: number,
): Promise<string> {
  const sentences = chunks
    .slice(0, 3)
    .flatMap((chunk, ci) => splitSentences(chunk.text).map((sentence, si) => ({ sentence, ci, si, chunk })))
  const [q, vectors] = await sentenceVectors.embed(
    question,
    sentences.map((s) => s.sentence),
    questionVector,
  )
  const candidates = sentences.map((s, i) => ({
    sentence: s.sentence,
    order: s.ci * 1000 + s.si,
    score: cosine(q, vectors[i]!) * 0.7 + s.chunk.score * 0.3,
  }))
  const ranked = [...candidates].sort((a, b) => b.score - a.score)
  const top = ranked[0]
  // Keep sentences within reach of the best one: a loosely related tail makes answers worse.
  const kept = ranked.filter((c) => top !== undefined && c.score >= top.score * 0.6).slice(0, maxSentences)
  return kept
    .sort((a, b) => a.order - b.order)
    .map((c) => c.sentence)
    .join(' ')
}

/**
 * The embedder with the knowledge sentences' vectors remembered (least recently used out first).
 * A sentence is its own key: an edited document has other sentences, so nothing goes stale.
 */
class SentenceVectors {
  readonly #kept = new Map<string, number[]>()

  constructor(
    private readonly embedder: Embedder,
    private readonly size: number,
  ) {}

  /**
   * The question's vector and the sentences', the ones not kept embedded in one call with it;
   * `questionVector`, when given, is the question's (and the call holds only missing sentences).
   */
  async embed(
    question: string,
    sentences: string[],
    questionVector?: number[],
  ): Promise<[number[], number[][]]> {
    // Read before the await: a concurrent turn may evict them meanwhile.
    const have = new Map<string, number[]>()
    for (const s of sentences) {
      const v = this.#kept.get(s)
      if (v) have.set(s, v)
    }
    const missing = [...new Set(sentences.filter((s) => !have.has(s)))]
    let q = questionVector
    let fresh: number[][] = []
    if (q) fresh = missing.length ? await this.embedder.embed(missing) : []
    else [q, ...fresh] = await this.embedder.embed([question, ...missing])
    missing.forEach((s, i) => have.set(s, fresh[i]!))
    for (const [s, v] of have) this.#keep(s, v)
    return [q!, sentences.map((s) => have.get(s)!)]
  }

  #keep(sentence: string, vector: number[]): void {
    if (this.size <= 0) return
    this.#kept.delete(sentence) // re-inserted last: the most recently used
    this.#kept.set(sentence, vector)
    if (this.#kept.size > this.size) this.#kept.delete(this.#kept.keys().next().value!)
  }
}

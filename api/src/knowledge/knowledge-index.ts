import {
  candidateChunks,
  phrasingTightness,
  rankCandidates,
  type CandidateEvidence,
  type Embedder,
  type SemanticHit,
} from '@luneo/models'
import type { Db } from '@luneo/warehouse'
import type { LexicalChunkHit, LexicalIndex } from './lexical-index.js'
import type { IndexedChunk, VectorHit, VectorStore } from './vector-store.js'

export type { IndexedChunk } from './vector-store.js'

export interface RetrievedChunk extends IndexedChunk {
  knowledgeBaseId: string
  /**
   * How confident retrieval is that this chunk answers the question, in [0, 1]: the calibrated
   * probability for the first chunk, scaled down for the others by their rank (ADR 0015). With an
   * embedder nobody calibrated, the semantic score (cosine; a phrasing hit scaled, ADR 0007).
   */
  score: number
}

/**
 * The knowledge base's search side: vectors (Chroma) and lexical (BM25 over Postgres chunks),
 * fused. Every call names the organization; both halves filter on it.
 */
export interface KnowledgeIndex extends Omit<VectorStore, 'nearest' | 'vectorsOf'> {
  query(
    organizationId: string,
    knowledgeBaseIds: string[],
    text: string,
    k: number,
    /** An open transaction to read Postgres through (LexicalIndex.search says why). */
    via?: Db,
    /** `text`'s vector from `embedQuery`, when the caller has it already. */
    vector?: number[],
  ): Promise<RetrievedChunk[]>
  /** A question's vector as `query` makes it, for a caller that needs it too (the turn's answer). */
  embedQuery(text: string): Promise<number[]>
  /** The id of the embedder whose space `embedQuery`'s vectors are in. */
  readonly embedderId: string
}

/** Vectors asked of the semantic search per chunk returned: phrasings of one chunk collapse into it. */
const HITS_PER_RESULT = 4

/**
 * Hybrid retrieval (ADR 0015): the question's nearest vectors and its BM25 hits; the first `k`
 * chunks of each are the candidates; every candidate's own cosines are read exactly (its text and
 * all its phrasings, from the store); the calibrated rank model orders them and the answer model
 * says how likely the first one answers (models/src/retrieval/hybrid.ts, the embedder's
 * calibration). `embedQuery` is the embedder the question goes through (the wiring times it).
 */
export function createKnowledgeIndex(
  store: VectorStore,
  lexical: LexicalIndex,
  embedder: Embedder,
  embedQuery: (text: string) => Promise<number[]> = async (t) => (await embedder.embed([t]))[0]!,
): KnowledgeIndex {
  return {
    replaceDocument: (...a) => store.replaceDocument(...a),
    deleteDocument: (...a) => store.deleteDocument(...a),
    deleteKnowledgeBase: (...a) => store.deleteKnowledgeBase(...a),
    staleKnowledgeBases: (...a) => store.staleKnowledgeBases(...a),
    resetKnowledgeBase: (...a) => store.resetKnowledgeBase(...a),
    embedQuery,
    embedderId: embedder.id,
    async query(organizationId, knowledgeBaseIds, text, k, via, given) {
      if (knowledgeBaseIds.length === 0) return []
      const vector = given ?? (await embedQuery(text))
      const [near, words] = await Promise.all([
        store.nearest(organizationId, knowledgeBaseIds, vector, k * HITS_PER_RESULT),
        lexical.search(organizationId, knowledgeBaseIds, text, via),
      ])
      const hits: SemanticHit[] = near
      const ids = candidateChunks(
        hits,
        words.map((w) => ({ key: w.chunkId })),
        k,
      )
      const about = describe(near, words)
      const exact = await exactVectors(store, organizationId, ids, about, vector)
      const evidence: CandidateEvidence[] = ids.map((chunkId) => {
        const own = exact.filter((h) => h.chunkId === chunkId)
        const phrasingHits = own.filter((h) => h.phrasing)
        const phrasings = phrasingHits.map((h) => h.cosine)
        return {
          chunkId,
          documentId: about.get(chunkId)!.documentId,
          semantic: own.find((h) => !h.phrasing)?.cosine ?? 0,
          phrasing: phrasings.length > 0 ? Math.max(...phrasings) : null,
          lexical: words.find((w) => w.chunkId === chunkId)?.coverage ?? 0,
          tightness: phrasingTightness(phrasingHits.flatMap((h) => (h.vector ? [h.vector] : []))),
        }
      })
      return rankCandidates(evidence, hits, embedder.grounding)
        .slice(0, k)
        .map((r) => {
          const a = about.get(r.chunkId)!
          return {
            id: r.chunkId,
            documentId: a.documentId,
            knowledgeBaseId: a.knowledgeBaseId,
            title: a.title,
            text: a.text,
            score: Math.min(1, Math.max(0, r.confidence)),
          }
        })
    },
  }
}

type About = Pick<VectorHit, 'documentId' | 'knowledgeBaseId' | 'title' | 'text'>

/** What each chunk is (document, knowledge base, title, text), from whichever search found it. */
function describe(near: VectorHit[], words: LexicalChunkHit[]): Map<string, About> {
  const about = new Map<string, About>()
  for (const w of words) about.set(w.chunkId, w)
  for (const h of near) if (!about.has(h.chunkId)) about.set(h.chunkId, h)
  return about
}

/** Every vector of the candidates with its cosine, one store query per knowledge base involved. */
async function exactVectors(
  store: VectorStore,
  organizationId: string,
  ids: string[],
  about: Map<string, About>,
  vector: number[],
): Promise<VectorHit[]> {
  const byKb = new Map<string, string[]>()
  for (const id of ids) {
    const kb = about.get(id)!.knowledgeBaseId
    byKb.set(kb, [...(byKb.get(kb) ?? []), id])
  }
  const perKb = await Promise.all(
    [...byKb].map(([kb, chunkIds]) => store.vectorsOf(organizationId, kb, chunkIds, vector)),
  )
  return perKb.flat()
}

// A knowledge base as the API builds it, in memory: each document's chunks (title + text) and its
// FAQ phrasings as vectors, the same BM25 units, and the same evidence per question the knowledge
// index computes (api/src/knowledge/retrieval.ts): the first SEMANTIC_HITS vectors by cosine, the
// candidates of both searches, each with its exact cosines and lexical coverage.
import {
  candidateChunks,
  chunkText,
  createBm25Index,
  phrasingTightness,
  type Bm25Index,
  type CandidateEvidence,
  type SemanticHit,
} from '@luneo/models'

/** The engine's retrieve step asks for 4 chunks; the index asks Chroma for 4× as many vectors. */
export const RETRIEVE_K = 4
export const SEMANTIC_HITS = RETRIEVE_K * 4

export interface KbDocument {
  /** The intent the document answers (what "the right source" means in a probe). */
  intent: string
  title: string
  text: string
  questions: string[]
}

interface Unit {
  chunkId: string
  documentId: string
  phrasing: boolean
  vector: Float32Array
}

export interface SimulatedKb {
  intentOf: Map<string, string>
  units: Unit[]
  lexical: Bm25Index
  /** Each chunk's phrasing tightness, as the knowledge index computes it from the same vectors. */
  tightness: Map<string, number | null>
}

const dot = (a: Float32Array, b: Float32Array) => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

/** The texts a knowledge base embeds: chunks as indexed (title + text) and phrasings. */
export function kbTexts(docs: readonly KbDocument[]): string[] {
  return docs.flatMap((d) => [...chunkText(d.text).map((c) => `${d.title}\n${c}`), ...d.questions])
}

/**
 * Each phrasing belongs to the document's chunk that answers it best. FAQ entries are one chunk;
 * for longer documents the index picks by cosine, as here.
 */
export function buildKb(docs: readonly KbDocument[], vectors: Map<string, Float32Array>): SimulatedKb {
  const units: Unit[] = []
  const lexicalUnits: { key: string; text: string }[] = []
  const intentOf = new Map<string, string>()
  docs.forEach((d, di) => {
    const documentId = `d${di}`
    const chunks = chunkText(d.text).map((text, ci) => ({
      id: `${documentId}c${ci}`,
      text: `${d.title}\n${text}`,
    }))
    for (const c of chunks) {
      intentOf.set(c.id, d.intent)
      units.push({ chunkId: c.id, documentId, phrasing: false, vector: vectors.get(c.text)! })
      lexicalUnits.push({ key: c.id, text: c.text })
    }
    for (const q of d.questions) {
      const v = vectors.get(q)!
      const best = chunks.reduce((b, c) =>
        dot(v, vectors.get(c.text)!) > dot(v, vectors.get(b.text)!) ? c : b,
      )
      units.push({ chunkId: best.id, documentId, phrasing: true, vector: v })
      lexicalUnits.push({ key: best.id, text: q })
    }
  })
  const tightness = new Map(
    [...intentOf.keys()].map((id) => [
      id,
      phrasingTightness(units.filter((u) => u.chunkId === id && u.phrasing).map((u) => u.vector)),
    ]),
  )
  return { intentOf, units, lexical: createBm25Index(lexicalUnits), tightness }
}

/** What the knowledge index knows of a question: its semantic hits and the candidates' evidence. */
export function evidenceOf(kb: SimulatedKb, question: string, vector: Float32Array) {
  const scored = kb.units.map((u) => ({ u, cosine: dot(vector, u.vector) }))
  const hits: SemanticHit[] = [...scored]
    .sort((a, b) => b.cosine - a.cosine)
    .slice(0, SEMANTIC_HITS)
    .map(({ u, cosine }) => ({ chunkId: u.chunkId, documentId: u.documentId, phrasing: u.phrasing, cosine }))
  const lexical = kb.lexical.search(question, Number.POSITIVE_INFINITY)
  const coverage = new Map(lexical.map((h) => [h.key, h.coverage]))
  const candidates: CandidateEvidence[] = candidateChunks(hits, lexical, RETRIEVE_K).map((chunkId) => {
    const own = scored.filter((s) => s.u.chunkId === chunkId)
    const phr = own.filter((s) => s.u.phrasing).map((s) => s.cosine)
    return {
      chunkId,
      documentId: own[0]!.u.documentId,
      semantic: own.find((s) => !s.u.phrasing)!.cosine,
      phrasing: phr.length ? Math.max(...phr) : null,
      lexical: coverage.get(chunkId) ?? 0,
      tightness: kb.tightness.get(chunkId) ?? null,
    }
  })
  return { hits, candidates }
}

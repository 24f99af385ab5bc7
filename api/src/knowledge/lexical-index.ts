import { createBm25Index, type Bm25Index } from '@luneo/models'
import { knowledgeVersions, searchableChunks, type Db } from '@luneo/warehouse'

/** A chunk lexical search found, with what the knowledge index needs to return it. */
export interface LexicalChunkHit {
  chunkId: string
  documentId: string
  knowledgeBaseId: string
  title: string
  text: string
  /** BM25 coverage of the question (models/src/retrieval/bm25.ts), comparable across knowledge bases. */
  coverage: number
}

/** BM25 over each knowledge base's chunks and FAQ phrasings, kept in memory per knowledge base. */
export interface LexicalIndex {
  /**
   * Every chunk of these knowledge bases sharing a term with the question, best coverage first.
   * `via` reads Postgres through a caller's open transaction: a search from inside one (an action
   * in the engine's commit) must not wait for a second connection, which PGlite's single
   * connection never gives while the transaction holds it (ADR 0002).
   */
  search(
    organizationId: string,
    knowledgeBaseIds: string[],
    text: string,
    via?: Db,
  ): Promise<LexicalChunkHit[]>
}

interface Built {
  organizationId: string
  version: string
  index: Bm25Index
  chunks: Map<string, { documentId: string; title: string; text: string }>
}

/**
 * Units kept in memory across knowledge bases before the least recently used are dropped (~100 B
 * of postings per unit: 500k units ≈ 50 MB). A dropped one is rebuilt at its next question.
 */
const MAX_UNITS = 500_000

/**
 * Lexical search, correct across processes: Postgres holds the chunks and a content version per
 * knowledge base that every change bumps in its own transaction (warehouse `replaceChunks`,
 * `deleteDocument`). Each search reads the versions of the knowledge bases asked (one indexed
 * query) and rebuilds, from Postgres, any whose version moved since this process built it — so an
 * API replica sees a document another replica added at its next question. Versions are read
 * before chunks: a build may hold chunks newer than its version, never older, so at worst one
 * rebuild too many.
 */
export function createLexicalIndex(db: Db): LexicalIndex {
  const cache = new Map<string, Built>()
  const building = new Map<string, Promise<Built>>()

  const build = async (reader: Db, organizationId: string, kbId: string, version: string): Promise<Built> => {
    const rows = await searchableChunks(reader, organizationId, kbId)
    const units = rows.flatMap((c) => [
      { key: c.chunkId, text: `${c.title}\n${c.text}` },
      // A document's phrasings count for each of its chunks (FAQ entries are one chunk).
      ...c.questions.map((q) => ({ key: c.chunkId, text: q })),
    ])
    const chunks = new Map(
      rows.map((c) => [c.chunkId, { documentId: c.documentId, title: c.title, text: c.text }]),
    )
    return { organizationId, version, index: createBm25Index(units), chunks }
  }

  const current = async (
    reader: Db,
    organizationId: string,
    kbId: string,
    version: string,
  ): Promise<Built> => {
    const have = cache.get(kbId)
    if (have && have.version === version && have.organizationId === organizationId) {
      cache.delete(kbId) // re-inserted below: the Map's order is the LRU order
      cache.set(kbId, have)
      return have
    }
    const key = `${kbId}@${version}`
    let pending = building.get(key)
    if (!pending) {
      pending = build(reader, organizationId, kbId, version).finally(() => building.delete(key))
      building.set(key, pending)
    }
    const built = await pending
    cache.delete(kbId)
    cache.set(kbId, built)
    evict()
    return built
  }

  const evict = () => {
    let units = [...cache.values()].reduce((n, b) => n + b.index.units, 0)
    for (const [kbId, b] of cache) {
      if (units <= MAX_UNITS || cache.size <= 1) break
      cache.delete(kbId)
      units -= b.index.units
    }
  }

  return {
    async search(organizationId, knowledgeBaseIds, text, via = db) {
      const versions = await knowledgeVersions(via, organizationId, knowledgeBaseIds)
      const perKb = await Promise.all(
        [...versions].map(async ([kbId, version]) => {
          const built = await current(via, organizationId, kbId, version)
          return built.index.search(text, Number.POSITIVE_INFINITY).map((h) => ({
            chunkId: h.key,
            knowledgeBaseId: kbId,
            coverage: h.coverage,
            ...built.chunks.get(h.key)!,
          }))
        }),
      )
      return perKb.flat().sort((a, b) => b.coverage - a.coverage)
    },
  }
}

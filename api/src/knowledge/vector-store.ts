import { ChromaClient, ChromaNotFoundError, type Collection, type Metadata, type QueryResult } from 'chromadb'
import { cosine, type Embedder } from '@luneo/models'

export interface IndexedChunk {
  id: string
  documentId: string
  title: string
  text: string
}

/** A vector the semantic search found: a chunk's own text, or one of its FAQ phrasings (ADR 0007). */
export interface VectorHit {
  chunkId: string
  documentId: string
  knowledgeBaseId: string
  title: string
  /** The chunk's text (a phrasing's vector carries the text of the chunk it answers). */
  text: string
  phrasing: boolean
  cosine: number
  /** The vector itself: only `vectorsOf` returns it (phrasing tightness reads the phrasings'). */
  vector?: number[]
}

/** The vector side of the knowledge base. Every call names the organization; queries filter on it. */
export interface VectorStore {
  replaceDocument(
    organizationId: string,
    knowledgeBaseId: string,
    documentId: string,
    chunks: IndexedChunk[],
    /** FAQ phrasings, each indexed as its own vector pointing at the chunk that answers it. */
    questions?: string[],
  ): Promise<void>
  deleteDocument(organizationId: string, knowledgeBaseId: string, documentId: string): Promise<void>
  deleteKnowledgeBase(organizationId: string, knowledgeBaseId: string): Promise<void>
  /** The `n` vectors nearest to `vector` across these knowledge bases, best first. */
  nearest(
    organizationId: string,
    knowledgeBaseIds: string[],
    vector: number[],
    n: number,
  ): Promise<VectorHit[]>
  /** Every vector of these chunks (their text and phrasings) with its cosine to `vector`, and itself. */
  vectorsOf(
    organizationId: string,
    knowledgeBaseId: string,
    chunkIds: string[],
    vector: number[],
  ): Promise<VectorHit[]>
  /**
   * Of these knowledge bases, those whose vectors this store cannot use: made by another embedder
   * (another vector space, maybe another dimension) or missing from the store. System-wide (start-up).
   */
  staleKnowledgeBases(knowledgeBaseIds: string[]): Promise<string[]>
  /** Drops a knowledge base's whole collection, so it is re-created for this embedder. */
  resetKnowledgeBase(knowledgeBaseId: string): Promise<void>
}

/** One Chroma collection per knowledge base (names need 3+ characters: `kb_<uuid hex>`). */
export const collectionName = (knowledgeBaseId: string) => `kb_${knowledgeBaseId.replaceAll('-', '')}`

/** Collections per listCollections call (the client's default page). */
const LIST_PAGE = 100
/** A document's phrasings are capped at 50 (schemas/resources.ts): vectors per chunk at most. */
const VECTORS_PER_CHUNK = 51

/** The hits of one query, as cosines (the collections use cosine distance: cosine = 1 − distance). */
function hitsOf(r: QueryResult<Metadata>, knowledgeBaseId: string): VectorHit[] {
  const vectors = r.embeddings?.[0]
  return (r.ids[0] ?? []).map((id, i) => {
    const meta = r.metadatas[0]?.[i] ?? {}
    const str = (v: unknown) => (typeof v === 'string' ? v : '')
    return {
      chunkId: str(meta.chunk_id) || id,
      documentId: str(meta.document_id),
      knowledgeBaseId,
      title: str(meta.title),
      text: r.documents[0]?.[i] ?? '',
      phrasing: id.includes(':q'),
      cosine: 1 - (r.distances[0]?.[i] ?? 1),
      ...(vectors?.[i] ? { vector: vectors[i] } : {}),
    }
  })
}

/** A Chroma client for a server URL (`http://host:port`, or https on 443 when no port is given). */
export function openChromaClient(url: string): ChromaClient {
  const u = new URL(url)
  return new ChromaClient({
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)),
    ssl: u.protocol === 'https:',
  })
}

/**
 * Chroma-backed vectors. We embed ourselves (bge-small by default, hashing or OpenAI when configured)
 * and pass vectors in, so Chroma never downloads a model. Every vector's metadata carries its
 * organization id and every query filters on it, on top of the per-knowledge-base collection.
 * A collection records the embedder that filled it (`metadata.embedder`), so a change of embedder
 * is seen at start and the knowledge base re-indexed (services/knowledge.ts, reindexPending).
 */
export function createChromaStore(url: string, embedder: Embedder): VectorStore {
  const client = openChromaClient(url)
  const cache = new Map<string, Promise<Collection>>()
  const collection = (kbId: string): Promise<Collection> => {
    let c = cache.get(kbId)
    if (!c) {
      c = client.getOrCreateCollection({
        name: collectionName(kbId),
        embeddingFunction: null,
        configuration: { hnsw: { space: 'cosine' } },
        metadata: { embedder: embedder.id },
      })
      c.catch(() => cache.delete(kbId))
      cache.set(kbId, c)
    }
    return c
  }

  return {
    async replaceDocument(organizationId, knowledgeBaseId, documentId, chunks, questions = []) {
      const col = await collection(knowledgeBaseId)
      await col.delete({
        where: { $and: [{ organization_id: organizationId }, { document_id: documentId }] },
      })
      if (chunks.length === 0) return
      const embeddings = await embedder.embed(chunks.map((c) => `${c.title}\n${c.text}`))
      // Each FAQ question is its own vector whose document is the chunk that answers it best:
      // a customer's words then meet the ways customers ask, not only the answer's wording.
      const qVectors = questions.length ? await embedder.embed(questions) : []
      const answerOf = qVectors.map((q) => {
        let best = 0
        embeddings.forEach((e, i) => (cosine(q, e) > cosine(q, embeddings[best]!) ? (best = i) : undefined))
        return chunks[best]!
      })
      const meta = (c: IndexedChunk) => ({
        organization_id: organizationId,
        document_id: documentId,
        knowledge_base_id: knowledgeBaseId,
        chunk_id: c.id,
        title: c.title,
      })
      await col.upsert({
        ids: [...chunks.map((c) => c.id), ...answerOf.map((c, i) => `${c.id}:q${i}`)],
        embeddings: [...embeddings, ...qVectors],
        documents: [...chunks.map((c) => c.text), ...answerOf.map((c) => c.text)],
        metadatas: [...chunks.map(meta), ...answerOf.map(meta)],
      })
    },
    async deleteDocument(organizationId, knowledgeBaseId, documentId) {
      const col = await collection(knowledgeBaseId)
      await col.delete({
        where: { $and: [{ organization_id: organizationId }, { document_id: documentId }] },
      })
    },
    async deleteKnowledgeBase(organizationId, knowledgeBaseId) {
      const col = await collection(knowledgeBaseId)
      await col.delete({ where: { organization_id: organizationId } })
    },
    async nearest(organizationId, knowledgeBaseIds, vector, n) {
      const perKb = await Promise.all(
        knowledgeBaseIds.map(async (kbId) => {
          const col = await collection(kbId)
          const r = await col.query({
            queryEmbeddings: [vector],
            nResults: n,
            where: { organization_id: organizationId },
          })
          return hitsOf(r, kbId)
        }),
      )
      return perKb
        .flat()
        .sort((a, b) => b.cosine - a.cosine)
        .slice(0, n)
    },
    async vectorsOf(organizationId, knowledgeBaseId, chunkIds, vector) {
      if (chunkIds.length === 0) return []
      const col = await collection(knowledgeBaseId)
      const r = await col.query({
        queryEmbeddings: [vector],
        nResults: chunkIds.length * VECTORS_PER_CHUNK,
        where: { $and: [{ organization_id: organizationId }, { chunk_id: { $in: chunkIds } }] },
        include: ['distances', 'documents', 'metadatas', 'embeddings'],
      })
      return hitsOf(r, knowledgeBaseId)
    },
    async staleKnowledgeBases(knowledgeBaseIds) {
      if (knowledgeBaseIds.length === 0) return []
      const wanted = new Set(knowledgeBaseIds.map(collectionName))
      const current = new Set<string>()
      for (let offset = 0; ; offset += LIST_PAGE) {
        const page = await client.listCollections({ limit: LIST_PAGE, offset })
        for (const c of page)
          if (wanted.has(c.name) && c.metadata?.embedder === embedder.id) current.add(c.name)
        if (page.length < LIST_PAGE) break
      }
      return knowledgeBaseIds.filter((id) => !current.has(collectionName(id)))
    },
    async resetKnowledgeBase(knowledgeBaseId) {
      cache.delete(knowledgeBaseId)
      await client.deleteCollection({ name: collectionName(knowledgeBaseId) }).catch((err: unknown) => {
        // Already gone (a crash between two start-ups): nothing to drop.
        if (!(err instanceof ChromaNotFoundError)) throw err
      })
    },
  }
}

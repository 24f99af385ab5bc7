import {
  agentKnowledgeBaseIds,
  getContact,
  recentMessages,
  type Contact,
  type Db,
  type Message,
} from '@luneo/warehouse'
import type { KnowledgeIndex, RetrievedChunk } from '../../knowledge/knowledge-index.js'
import type { Loaded } from './load.js'

/** Chunks considered per question: enough for the model, few enough to keep the prompt small. */
const RETRIEVE_K = 4
/** Earlier messages the model sees. */
const HISTORY = 6

export interface Retrieved {
  /** Best first; empty when the turn must not consult knowledge (safety hit, handed off). */
  chunks: RetrievedChunk[]
  /**
   * Search over the agent's knowledge bases, already scoped to the organization (for actions);
   * `via`: the transaction it runs inside, if any.
   */
  search: (query: string, via?: Db) => Promise<RetrievedChunk[]>
  history: Pick<Message, 'role' | 'text'>[]
  contact: Contact | undefined
  /** The question's vector, when retrieval ran: the local provider ranks sentences against it. */
  questionVector?: { embedder: string; vector: number[] }
}

/** Step 4, retrieve: the agent's knowledge for the question, the recent history and the contact. */
export async function retrieve(
  db: Db,
  index: KnowledgeIndex,
  organizationId: string,
  turn: Loaded,
  question: string,
  consultKnowledge: boolean,
): Promise<Retrieved> {
  const { agent, conversation } = turn
  const kbIds = await agentKnowledgeBaseIds(db, organizationId, agent.id)
  const search = (q: string, via?: Db) => index.query(organizationId, kbIds, q, RETRIEVE_K, via)
  // Embedded once here, for retrieval and for the answer's sentence ranking.
  const vector = consultKnowledge && kbIds.length > 0 ? await index.embedQuery(question) : undefined
  const chunks = vector
    ? await index.query(organizationId, kbIds, question, RETRIEVE_K, undefined, vector)
    : []
  const history = await recentMessages(db, organizationId, conversation.id, HISTORY)
  const contact = conversation.contact_id
    ? await getContact(db, organizationId, conversation.contact_id)
    : undefined
  return {
    chunks,
    search,
    history,
    contact,
    ...(vector ? { questionVector: { embedder: index.embedderId, vector } } : {}),
  }
}

// @luneo/warehouse — storage: Postgres (PGlite or server) and ClickHouse (chDB or server).
export { newId, isUuid } from './ids.js'
export {
  openPostgres,
  migratePostgres,
  migratePostgresDown,
  type Db,
  type PostgresHandle,
  type OpenPostgresOptions,
} from './pg/db.js'
export { pgMigrations } from './pg/migrations/index.js'
export * from './pg/schema.js'
export { paginate, type Page, type PageRequest } from './pg/queries/page.js'
export {
  insertOrganization,
  getOrganization,
  updateOrganizationRoi,
  type NewOrganization,
  type RoiAssumptionsPatch,
} from './pg/queries/organizations.js'
export {
  insertUser,
  findUserByEmail,
  getUser,
  insertMembership,
  getMembership,
  firstMembershipOfUser,
  listMembers,
  insertInvitation,
  consumeInvitation,
  type MemberRow,
} from './pg/queries/users.js'
export {
  insertSession,
  getLiveSession,
  rotateRefresh,
  revokeSession,
  insertApiKey,
  findLiveApiKeyByHash,
  listApiKeys,
  revokeApiKey,
  resolveSession,
  resolveApiKey,
  type SessionPrincipal,
  type KeyPrincipal,
} from './pg/queries/sessions.js'
export {
  insertAgent,
  getAgent,
  listAgents,
  updateAgent,
  deleteAgent,
  agentHasConversations,
  type NewAgentRow,
  type AgentPatch,
} from './pg/queries/agents.js'
export {
  insertKnowledgeBase,
  getKnowledgeBase,
  listKnowledgeBases,
  deleteKnowledgeBase,
  insertDocument,
  getDocument,
  listDocuments,
  updateDocument,
  deleteDocument,
  type NewDocumentRow,
} from './pg/queries/knowledge.js'
export {
  upsertContact,
  getContact,
  insertConversation,
  getConversation,
  listConversations,
  setConversationStatus,
  insertMessage,
  listMessages,
  insertFeedback,
  insertOutcome,
  type ContactInput,
  type ConversationFilters,
} from './pg/queries/conversations.js'
export { insertAudit, listAudit, type AuditInput } from './pg/queries/audit.js'
export { openClickHouse, type Ch, type ClickHouseHandle, type OpenClickHouseOptions } from './ch/client.js'
export { migrateClickHouse } from './ch/migrate.js'
export { chMigrations, type ChMigration } from './ch/migrations/index.js'
export * from './pg/queries/engine.js'
export {
  gapsForMatching,
  insertGap,
  updateGap,
  getGap,
  listRankedGaps,
  reviewGap,
  firstAgentKnowledgeBase,
  findKnowledgeBaseByName,
  insertTuningHistory,
  listTuningHistory,
  runningExperiments,
  promoteWinnerPrompt,
  linkKnowledgeBaseToAllAgents,
  type KnowledgeGap,
  type TuningHistoryRow,
  type GapWrite,
} from './pg/queries/gaps.js'

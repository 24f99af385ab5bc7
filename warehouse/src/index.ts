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
  updateOrganizationPrivacy,
  organizationPrivacy,
  establishedOrganizations,
  hasOrganizations,
  type NewOrganization,
  type OrganizationPrivacy,
  type RoiAssumptionsPatch,
} from './pg/queries/organizations.js'
export {
  insertUser,
  findUserByEmail,
  getUser,
  insertMembership,
  getMembership,
  firstMembershipOfUser,
  listMembershipsOfUser,
  type MembershipOfUser,
  listMembers,
  getMembershipById,
  setMembershipRole,
  deleteMembership,
  countOwners,
  insertInvitation,
  consumeInvitation,
  deletePendingInvitation,
  listPendingInvitations,
  renewInvitation,
  type PendingInvitationRow,
  type MemberRow,
} from './pg/queries/users.js'
export {
  insertSession,
  getLiveSession,
  rotateRefresh,
  revokeSession,
  revokeUserSessions,
  insertApiKey,
  findLiveApiKeyByHash,
  listApiKeys,
  revokeApiKey,
  getLiveApiKey,
  resolveSession,
  resolveApiKey,
  type SessionPrincipal,
  type KeyPrincipal,
} from './pg/queries/sessions.js'
export {
  getSsoConfig,
  findSsoConfigByDomain,
  ssoDomainTakenElsewhere,
  upsertSsoConfig,
  deleteSsoConfig,
  ssoEnforced,
  findSsoIdentity,
  hasSsoIdentityFor,
  insertSsoIdentity,
  consumeInvitationForEmail,
  revokePasswordSessions,
} from './pg/queries/sso.js'
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
  listKnowledgeBaseIds,
  deleteKnowledgeBase,
  insertDocument,
  getDocument,
  listDocuments,
  updateDocument,
  deleteDocument,
  countOwnKnowledgeBases,
  findKnowledgeBaseByName,
  markDocumentIndexed,
  unindexedDocuments,
  indexedUnconfirmedDocuments,
  confirmDocument,
  documentTitles,
  type NewDocumentRow,
} from './pg/queries/knowledge.js'
export {
  listOnboardingAnswers,
  upsertOnboardingAnswer,
  type OnboardingAnswer,
} from './pg/queries/onboarding.js'
export { upsertContact, getContact, findContactByEmail, type ContactInput } from './pg/queries/contacts.js'
export {
  insertConversation,
  getConversation,
  findOngoingConversation,
  transcriptMessages,
  listConversations,
  setConversationStatus,
  listMessages,
  insertFeedback,
  insertOutcome,
  type ConversationFilters,
} from './pg/queries/conversations.js'
export { insertAudit, listAudit, type AuditInput } from './pg/queries/audit.js'
export {
  openConversationRows,
  type OpenConversationInput,
  type OutboxRow,
} from './pg/queries/open-conversation.js'
export { preparedSql } from './pg/queries/prepared.js'
export {
  indexedKnowledgeBaseIds,
  markKnowledgeBaseUnindexed,
  markDocumentUnindexed,
} from './pg/queries/knowledge-index.js'
export {
  getRetentionPolicy,
  setRetentionPolicy,
  expiredConversationIds,
  deleteConversations,
  deleteIdleContacts,
  deleteStaleOpenGaps,
  deleteOldWebhookDeliveries,
  prunePublishedOutbox,
  RETENTION_LIMITS,
  type RetentionPolicy,
  type DeletedConversations,
} from './pg/queries/retention.js'
export {
  insertErasureRequest,
  getErasureRequest,
  loadErasureRequest,
  lockErasureSteps,
  openErasureOfContact,
  openErasureRequests,
  markErasureStep,
  markErasureFailedAttempt,
  conversationIdsOfContact,
  customerTextsOf,
  deleteContact,
  deleteIntentCorrectionsWithText,
  gapsForScrub,
  setGapTexts,
  insertVectorDeletion,
  pendingVectorDeletions,
  clearVectorDeletion,
  failVectorDeletion,
  gapDocuments,
} from './pg/queries/erasure.js'
export { outboxHighSeq, pendingOutboxUpTo } from './pg/queries/outbox.js'
export {
  deleteExpiredRows,
  eraseFromClickHouse,
  customerTextsInClickHouse,
  TEXT_TABLES,
  AGGREGATE_TABLES,
  CONVERSATION_TABLES,
  type ExpiredRowCounts,
} from './ch/queries/retention.js'
export { openClickHouse, type Ch, type ClickHouseHandle, type OpenClickHouseOptions } from './ch/client.js'
export { migrateClickHouse, rollbackClickHouse } from './ch/migrate.js'
export {
  chMigrations,
  TEXT_TTL_DAYS,
  AGGREGATE_TTL_DAYS,
  DLQ_TTL_DAYS,
  type ChMigration,
} from './ch/migrations/index.js'
export { martMigrations } from './ch/migrations/marts.js'
export { chDateTime } from './ch/time.js'
export { ClickHouseRowError } from './ch/queries/rows.js'
export {
  activeConversationIds,
  conversationEvents,
  eventsOfConversations,
  newestEventAt,
  newestEventPart,
  type ConversationEventRow,
  type TimedActivity,
} from './ch/queries/events.js'
export {
  conversationsOfReplies,
  failedQuestions,
  replyDays,
  questionsOfReplies,
  type FailedQuestionRow,
  type ReplyConversationRow,
  type ReplyQuestionRow,
} from './ch/queries/replies.js'
export {
  gapCandidates,
  insertGapCandidates,
  type GapCandidateRow,
  type GapCandidateWrite,
} from './ch/queries/gap-candidates.js'
export {
  customerQuestions,
  gapLiftCoverage,
  gapPhaseCounts,
  gapLift,
  type CustomerQuestionRow,
  type GapCoverageRow,
  type GapPhaseCountsRow,
  type GapLiftRow,
} from './ch/queries/gap-lift.js'
export {
  variantOutcomes,
  unjudgedClosedConversations,
  resolvedConversations,
  streamResolvedConversations,
  type VariantOutcomeRow,
  type ResolvedConversationRow,
  type ResolvedConversationsQuery,
} from './ch/queries/conversation-outcomes.js'
export {
  organizationMetrics,
  latestVerticalBenchmarks,
  organizationBenchmarkValues,
  type OrganizationMetricsRow,
  type VerticalBenchmarkRow,
} from './ch/queries/benchmarks.js'
export { queryMeasures, type MeasureRow } from './ch/queries/measures.js'
export { pingClickHouse } from './ch/queries/health.js'
export {
  setAgentKnowledgeBases,
  agentKnowledgeBaseIds,
  firstAgentKnowledgeBase,
  linkKnowledgeBaseToAllAgents,
} from './pg/queries/agent-knowledge-bases.js'
export {
  replaceChunks,
  listChunks,
  knowledgeVersions,
  searchableChunks,
  type SearchableChunk,
} from './pg/queries/knowledge-chunks.js'
export { insertPromptVersion, getPromptVersion, listPromptVersions } from './pg/queries/prompt-versions.js'
export {
  insertExperiment,
  getExperiment,
  listExperiments,
  setExperimentStatus,
  listVariants,
  runningVariants,
  runningExperiments,
  runningExperimentOfAgent,
  promoteWinnerPrompt,
  type RunningVariant,
} from './pg/queries/experiments.js'
export {
  tuningStateOf,
  upsertTuningWeights,
  insertTuningHistory,
  listTuningHistory,
  type TuningHistoryRow,
} from './pg/queries/tuning.js'
export { recentMessages, recordTurn, type TurnWrite } from './pg/queries/turns.js'
export {
  insertWidgetKey,
  findWidgetKey,
  setWidgetKeySpendCap,
  widgetKeySpent,
  widgetKeysSpent,
  addWidgetKeySpend,
  getWidgetKey,
  listWidgetKeys,
  revokeWidgetKey,
  anyWidgetKeyAllows,
} from './pg/queries/widget-keys.js'
export {
  setOrganizationWebhook,
  enqueueWebhook,
  dueWebhooks,
  deferWebhook,
  recordWebhookAttempt,
  claimWebhookAttempt,
  listWebhookDeliveries,
} from './pg/queries/webhooks.js'
export { claimEmail, dueEmails, enqueueEmail, listEmails, recordEmailAttempt } from './pg/queries/emails.js'
export {
  consumeEmailVerification,
  insertEmailVerification,
  markEmailVerified,
} from './pg/queries/email-verifications.js'
export { insertTask, listTasks } from './pg/queries/tasks.js'
export {
  insertIntentCorrection,
  intentCorrections,
  intentCorrectionsStamp,
} from './pg/queries/intent-corrections.js'
export {
  gapsForMatching,
  gapsMadeByOtherEmbedder,
  lastGapRecluster,
  recordGapRecluster,
  insertGap,
  updateGap,
  rescoreGaps,
  getGap,
  listRankedGaps,
  reviewGap,
  type KnowledgeGap,
  type GapWrite,
} from './pg/queries/knowledge-gaps.js'
export {
  organizationIds,
  getWatermark,
  advanceWatermark,
  organizationWatermarks,
} from './pg/queries/pipeline-watermarks.js'

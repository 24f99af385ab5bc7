import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

// Row types of the Postgres schema. Migrations never import this file ("frozen in time");
// queries do. Every tenant-owned table carries organization_id.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T = Record<string, unknown>> = ColumnType<T, string | T, string | T>

export const VERTICALS = ['ecommerce', 'real_estate', 'accounting', 'medical'] as const
export type Vertical = (typeof VERTICALS)[number]
export const ROLES = ['owner', 'admin', 'analyst', 'viewer'] as const
export type Role = (typeof ROLES)[number]
export const SCOPES = ['conversations:write', 'analytics:read', 'admin'] as const
export type Scope = (typeof SCOPES)[number]
export const CHANNELS = ['api', 'widget', 'email'] as const
export type Channel = (typeof CHANNELS)[number]
export const OUTCOME_TYPES = ['resolved', 'handoff', 'purchase', 'lead'] as const
export type OutcomeType = (typeof OUTCOME_TYPES)[number]
export const CONVERSATION_STATUSES = ['open', 'resolved', 'handed_off', 'closed'] as const
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number]

export interface OrganizationsTable {
  id: string
  name: string
  vertical: Vertical
  compliance_approved: ColumnType<boolean, boolean | undefined, boolean>
  minutes_per_conversation: ColumnType<number, number | undefined, number>
  hourly_cost: ColumnType<number, number | undefined, number>
  currency: ColumnType<string, string | undefined, string>
  /** BCP 47 tag the dashboard formats numbers with (migration 0008). */
  locale: ColumnType<string, string | undefined, string>
  settings: Json
  webhook_url: ColumnType<string | null, string | null | undefined, string | null>
  webhook_secret: ColumnType<string | null, string | null | undefined, string | null>
  subscription_monthly: ColumnType<number, number | undefined, number>
  resolution_window_hours: ColumnType<number, number | undefined, number>
  durable_days: ColumnType<number, number | undefined, number>
  /** Days a conversation's text is kept after its last activity (migration 0015). */
  conversation_retention_days: ColumnType<number, number | undefined, number>
  /** Days analytics aggregates (no customer text) are kept. */
  analytics_retention_days: ColumnType<number, number | undefined, number>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface UsersTable {
  id: string
  email: string
  name: string | null
  password_hash: string
  /** Set when the address was proven (emailed link or an identity provider's email_verified). */
  email_verified_at: Date | null
  created_at: CreatedAt
}

export interface MembershipsTable {
  id: string
  organization_id: string
  user_id: string
  role: Role
  created_at: CreatedAt
}

export interface InvitationsTable {
  id: string
  organization_id: string
  email: string
  role: Role
  token_hash: string
  invited_by: string | null
  expires_at: Date
  accepted_at: Date | null
  /** The token went only into the email: accepting it proves the address. */
  emailed_only: ColumnType<boolean, boolean | undefined, boolean>
  created_at: CreatedAt
}

export interface SessionsTable {
  id: string
  organization_id: string
  user_id: string
  refresh_hash: string
  expires_at: Date
  revoked_at: Date | null
  created_at: CreatedAt
  last_used_at: UpdatedAt
  /** How the session was opened (migration 0013): enforcing SSO ends the `password` ones. */
  auth_method: ColumnType<SessionAuthMethod, SessionAuthMethod | undefined, SessionAuthMethod>
}

export const SESSION_AUTH_METHODS = ['password', 'sso'] as const
export type SessionAuthMethod = (typeof SESSION_AUTH_METHODS)[number]

/** An organization's OpenID Connect provider (migration 0013, ADR 0020). */
export interface SsoConfigsTable {
  id: string
  organization_id: string
  issuer: string
  client_id: string
  /** AES-GCM under a key derived from LUNEO_SECRET; null for a public client (PKCE only). */
  client_secret_enc: string | null
  /** The email domain whose sign-ins this provider handles. */
  domain: string
  enforced: ColumnType<boolean, boolean | undefined, boolean>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

/** Which provider subject is which user, per organization and issuer. */
export interface SsoIdentitiesTable {
  id: string
  organization_id: string
  user_id: string
  issuer: string
  subject: string
  created_at: CreatedAt
}

export interface ApiKeysTable {
  id: string
  organization_id: string
  name: string
  prefix: string
  secret_hash: string
  scopes: ColumnType<Scope[], Scope[], Scope[]>
  created_by: string | null
  last_used_at: Date | null
  /** Set when revoked, or in the future while a rotated key's grace period runs. */
  revoked_at: Date | null
  expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  created_at: CreatedAt
}

export interface AgentsTable {
  id: string
  organization_id: string
  name: string
  vertical: Vertical
  template_version: string
  prompt_version_id: string | null
  settings: Json
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface KnowledgeBasesTable {
  id: string
  organization_id: string
  name: string
  description: string | null
  /** Bumped with every change of its chunks: the lexical index's staleness check (bigint: a string). */
  content_version: ColumnType<string, never, string>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface KnowledgeDocumentsTable {
  id: string
  organization_id: string
  knowledge_base_id: string
  title: string
  text: string
  content_hash: string
  source: ColumnType<string, string | undefined, string>
  indexed_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  /** How customers ask what this document answers (FAQ); each is indexed as its own vector. */
  questions: ColumnType<string[], string | undefined, string>
  /** When its owner confirmed it; null for a template's starter document, kept out of retrieval. */
  confirmed_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface OnboardingAnswersTable {
  organization_id: string
  /** The vertical template's onboarding question id. */
  question_id: string
  value: string
  knowledge_base_id: string | null
  /** The confirmed knowledge document written from this answer. */
  document_id: string | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface ContactsTable {
  id: string
  organization_id: string
  email: string | null
  phone: string | null
  name: string | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface ConversationsTable {
  id: string
  organization_id: string
  agent_id: string
  contact_id: string | null
  channel: Channel
  status: ColumnType<ConversationStatus, ConversationStatus | undefined, ConversationStatus>
  message_count: ColumnType<number, number | undefined, number>
  memory: ColumnType<ConversationMemory, string | undefined, string>
  escalation_reason: ColumnType<string | null, string | null | undefined, string | null>
  escalated_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  created_at: CreatedAt
  updated_at: UpdatedAt
  last_message_at: Date | null
}

export interface MessagesTable {
  id: string
  organization_id: string
  conversation_id: string
  role: 'customer' | 'agent' | 'human' | 'system'
  text: string
  metadata: Json
  created_at: CreatedAt
}

export interface FeedbackTable {
  id: string
  organization_id: string
  conversation_id: string
  rating: 'positive' | 'negative'
  csat: number | null
  comment: string | null
  created_at: CreatedAt
}

export interface OutcomesTable {
  id: string
  organization_id: string
  conversation_id: string
  type: OutcomeType
  amount: number | null
  currency: string | null
  created_at: CreatedAt
}

export interface AuditLogTable {
  id: string
  organization_id: string
  actor_type: 'user' | 'api_key' | 'system'
  actor_id: string | null
  action: string
  resource_type: string
  resource_id: string | null
  request_id: string | null
  details: Json
  created_at: CreatedAt
}

export interface OutboxTable {
  seq: Generated<number>
  id: string
  organization_id: string
  partition_key: string
  type: string
  version: number
  envelope: Json
  created_at: CreatedAt
  published_at: Date | null
}

export const ERASURE_STEPS = ['postgres', 'clickhouse', 'vectors'] as const
export type ErasureStep = (typeof ERASURE_STEPS)[number]
export type ErasureStatus = 'pending' | 'running' | 'done'

export interface ErasureRequestsTable {
  id: string
  organization_id: string
  contact_id: string
  status: ColumnType<ErasureStatus, ErasureStatus | undefined, ErasureStatus>
  steps_done: ColumnType<ErasureStep[], ErasureStep[] | undefined, ErasureStep[]>
  conversation_ids: ColumnType<string[], string | undefined, string>
  document_ids: ColumnType<string[], string | undefined, string>
  counts: ColumnType<Record<string, number>, string | undefined, string>
  outbox_seq: ColumnType<string | null, number | string | null | undefined, number | string | null>
  attempts: ColumnType<number, number | undefined, number>
  last_error: ColumnType<string | null, string | null | undefined, string | null>
  requested_by: string | null
  created_at: CreatedAt
  updated_at: UpdatedAt
  completed_at: ColumnType<Date | null, Date | null | undefined, Date | null>
}

export interface VectorDeletionsTable {
  id: string
  organization_id: string
  knowledge_base_id: string
  document_id: string | null
  attempts: ColumnType<number, number | undefined, number>
  last_error: ColumnType<string | null, string | null | undefined, string | null>
  created_at: CreatedAt
}

/** What the engine remembers between turns of a conversation. */
export interface ConversationMemory {
  summary?: string
  /** Consecutive AI replies that could not be grounded in knowledge. */
  unansweredStreak?: number
  lastIntent?: string
  lastCustomerText?: string
}

export interface KnowledgeChunksTable {
  id: string
  organization_id: string
  knowledge_base_id: string
  document_id: string
  ordinal: number
  text: string
  created_at: CreatedAt
}

export interface AgentKnowledgeBasesTable {
  organization_id: string
  agent_id: string
  knowledge_base_id: string
  created_at: CreatedAt
}

export interface PromptVersionsTable {
  id: string
  organization_id: string
  name: string
  version: number
  template: string
  /** The reply style the local provider honours (models' ReplyStyle); null = none. */
  style: ColumnType<
    Record<string, unknown> | null,
    string | Record<string, unknown> | null | undefined,
    never
  >
  created_at: CreatedAt
}

export interface ExperimentsTable {
  id: string
  organization_id: string
  agent_id: string
  name: string
  status: ColumnType<
    'running' | 'stopped' | 'completed',
    'running' | 'stopped' | 'completed' | undefined,
    'running' | 'stopped' | 'completed'
  >
  winner_variant_id: string | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface ExperimentVariantsTable {
  id: string
  organization_id: string
  experiment_id: string
  prompt_version_id: string
  label: string
  created_at: CreatedAt
}

export interface TuningStateTable {
  organization_id: string
  experiment_id: string
  variant_id: string
  weight: number
  reason: string
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface WidgetKeysTable {
  id: string
  organization_id: string
  agent_id: string
  public_key: string
  allowed_origins: string[]
  /** USD per UTC day the key's turns may cost; null = no cap. */
  daily_spend_cap_usd: ColumnType<number | null, number | null | undefined, number | null>
  created_at: CreatedAt
  revoked_at: Date | null
}

export interface WidgetKeySpendTable {
  organization_id: string
  widget_key_id: string
  /** UTC day, YYYY-MM-DD. */
  day: ColumnType<string, string, string>
  spent_usd: ColumnType<number, number | undefined, number>
  turns: ColumnType<number, number | undefined, number>
  created_at: CreatedAt
}

export interface WebhookDeliveriesTable {
  id: string
  organization_id: string
  event_type: string
  url: string
  payload: Json
  status: ColumnType<
    'pending' | 'delivered' | 'failed',
    'pending' | undefined,
    'pending' | 'delivered' | 'failed'
  >
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: ColumnType<Date, Date | undefined, Date>
  last_error: string | null
  created_at: CreatedAt
}

export type EmailStatus = 'pending' | 'sent' | 'logged' | 'failed'

/** Outgoing email, queued in its cause's transaction; the body is cleared once the mail has left. */
export interface EmailOutboxTable {
  id: string
  organization_id: string
  kind: string
  to_address: string
  subject: string
  text_body: string | null
  status: ColumnType<EmailStatus, EmailStatus | undefined, EmailStatus>
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: ColumnType<Date, Date | undefined, Date>
  last_error: string | null
  sent_at: Date | null
  created_at: CreatedAt
}

/** A hashed, single-use link that proves `email` is the user's (24 h). */
export interface EmailVerificationsTable {
  id: string
  organization_id: string
  user_id: string
  email: string
  token_hash: string
  expires_at: Date
  used_at: Date | null
  created_at: CreatedAt
}

export interface TasksTable {
  id: string
  organization_id: string
  conversation_id: string | null
  kind: string
  details: Json
  status: ColumnType<string, string | undefined, string>
  created_at: CreatedAt
}

export interface IntentCorrectionsTable {
  id: string
  organization_id: string
  vertical: string
  text: string
  intent: string
  created_at: CreatedAt
}

export interface PipelineWatermarksTable {
  job: string
  organization_id: string
  watermark: Date
  rows_in: ColumnType<number, number | undefined, number>
  rows_out: ColumnType<number, number | undefined, number>
  duration_ms: ColumnType<number, number | undefined, number>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export type GapStatus = 'open' | 'accepted' | 'rejected'

export interface KnowledgeGapsTable {
  id: string
  organization_id: string
  status: ColumnType<GapStatus, GapStatus | undefined, GapStatus>
  label: string
  score: number
  volume: number
  escalations: number
  last_seen_at: Date
  centroid: Json<number[]>
  /** The embedder id that made `centroid` (null: stored before it was recorded, re-embedded on the next run). */
  embedder: ColumnType<string | null, string | null | undefined, string | null>
  /**
   * Length of the mean of the members' unit vectors (1: all alike): with the centroid it gives a
   * question's average cosine distance to the members. Null: stored before it was recorded.
   */
  cohesion: ColumnType<number | null, number | null | undefined, number | null>
  examples: Json<string[]>
  member_ids: Json<string[]>
  drafted_answer: string | null
  accepted_answer: ColumnType<string | null, string | null | undefined, string | null>
  document_id: ColumnType<string | null, string | null | undefined, string | null>
  reviewed_by: ColumnType<string | null, string | null | undefined, string | null>
  reviewed_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

/** When an organization's failed questions were last re-clustered in full (knowledge_gaps_v1). */
export interface KnowledgeGapReclustersTable {
  organization_id: string
  reclustered_at: Date
  questions: number
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface TuningHistoryTable {
  id: string
  organization_id: string
  experiment_id: string
  weights: Json<Record<string, number>>
  posteriors: Json<Record<string, { alpha: number; beta: number; n: number }>>
  reason: string
  created_at: CreatedAt
}

export interface Database {
  organizations: OrganizationsTable
  users: UsersTable
  memberships: MembershipsTable
  invitations: InvitationsTable
  sessions: SessionsTable
  api_keys: ApiKeysTable
  agents: AgentsTable
  knowledge_bases: KnowledgeBasesTable
  knowledge_documents: KnowledgeDocumentsTable
  onboarding_answers: OnboardingAnswersTable
  contacts: ContactsTable
  conversations: ConversationsTable
  messages: MessagesTable
  feedback: FeedbackTable
  outcomes: OutcomesTable
  audit_log: AuditLogTable
  outbox: OutboxTable
  knowledge_chunks: KnowledgeChunksTable
  agent_knowledge_bases: AgentKnowledgeBasesTable
  prompt_versions: PromptVersionsTable
  experiments: ExperimentsTable
  experiment_variants: ExperimentVariantsTable
  tuning_state: TuningStateTable
  widget_keys: WidgetKeysTable
  widget_key_spend: WidgetKeySpendTable
  webhook_deliveries: WebhookDeliveriesTable
  email_outbox: EmailOutboxTable
  email_verifications: EmailVerificationsTable
  tasks: TasksTable
  intent_corrections: IntentCorrectionsTable
  pipeline_watermarks: PipelineWatermarksTable
  knowledge_gaps: KnowledgeGapsTable
  knowledge_gap_reclusters: KnowledgeGapReclustersTable
  tuning_history: TuningHistoryTable
  sso_configs: SsoConfigsTable
  sso_identities: SsoIdentitiesTable
  erasure_requests: ErasureRequestsTable
  vector_deletions: VectorDeletionsTable
}

export type Organization = Selectable<OrganizationsTable>
export type User = Selectable<UsersTable>
export type Membership = Selectable<MembershipsTable>
export type Invitation = Selectable<InvitationsTable>
export type Session = Selectable<SessionsTable>
export type SsoConfig = Selectable<SsoConfigsTable>
export type ApiKey = Selectable<ApiKeysTable>
export type Agent = Selectable<AgentsTable>
export type NewAgent = Insertable<AgentsTable>
export type AgentUpdate = Updateable<AgentsTable>
export type KnowledgeBase = Selectable<KnowledgeBasesTable>
export type KnowledgeDocument = Selectable<KnowledgeDocumentsTable>
export type Contact = Selectable<ContactsTable>
export type Conversation = Selectable<ConversationsTable>
export type Message = Selectable<MessagesTable>
export type Feedback = Selectable<FeedbackTable>
export type Outcome = Selectable<OutcomesTable>
export type AuditEntry = Selectable<AuditLogTable>
export type KnowledgeChunk = Selectable<KnowledgeChunksTable>
export type PromptVersion = Selectable<PromptVersionsTable>
export type Experiment = Selectable<ExperimentsTable>
export type ExperimentVariant = Selectable<ExperimentVariantsTable>
export type TuningStateRow = Selectable<TuningStateTable>
export type WidgetKey = Selectable<WidgetKeysTable>
export type WebhookDelivery = Selectable<WebhookDeliveriesTable>
export type OutgoingEmail = Selectable<EmailOutboxTable>
export type Task = Selectable<TasksTable>
export type KnowledgeGap = Selectable<KnowledgeGapsTable>
export type TuningHistoryRow = Selectable<TuningHistoryTable>
export type ErasureRequest = Selectable<ErasureRequestsTable>
export type VectorDeletion = Selectable<VectorDeletionsTable>

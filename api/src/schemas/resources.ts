import { z } from 'zod'
import { CHANNELS, CONVERSATION_STATUSES, OUTCOME_TYPES } from '@luneo/warehouse'
import { Email, Id, Timestamp, Vertical, pageOf } from './common.js'

export const AgentSettings = z
  .object({
    language: z.string().min(2).max(10).optional(),
    greeting: z.string().max(500).optional(),
    model: z.string().max(100).optional(),
  })
  .strict()

export const Agent = z
  .object({
    id: Id,
    name: z.string(),
    vertical: Vertical,
    templateVersion: z.string(),
    promptVersionId: Id.nullable(),
    knowledgeBaseIds: z.array(Id),
    settings: AgentSettings,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Agent' })
export const AgentPage = pageOf(Agent).meta({ id: 'AgentPage' })
export const NewAgent = z
  .object({
    name: z.string().max(120).trim().min(1),
    vertical: Vertical.optional(),
    promptVersionId: Id.optional(),
    /** Omitted: a starter knowledge base is created from the vertical template. */
    knowledgeBaseIds: z.array(Id).max(20).optional(),
    settings: AgentSettings.optional(),
  })
  .strict()
  .meta({ id: 'NewAgent' })
export const AgentPatch = z
  .object({
    name: z.string().max(120).trim().min(1).optional(),
    promptVersionId: Id.nullable().optional(),
    knowledgeBaseIds: z.array(Id).max(20).optional(),
    settings: AgentSettings.optional(),
  })
  .strict()
  .meta({ id: 'AgentPatch' })

export const KnowledgeBase = z
  .object({
    id: Id,
    name: z.string(),
    description: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'KnowledgeBase' })
export const KnowledgeBasePage = pageOf(KnowledgeBase).meta({ id: 'KnowledgeBasePage' })
export const NewKnowledgeBase = z
  .object({ name: z.string().max(120).trim().min(1), description: z.string().max(2000).optional() })
  .strict()
  .meta({ id: 'NewKnowledgeBase' })

export const DocumentDto = z
  .object({
    id: Id,
    knowledgeBaseId: Id,
    title: z.string(),
    text: z.string(),
    source: z.string(),
    questions: z.array(z.string()),
    /** When its chunks reached the vector store; null while pending. */
    indexedAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Document' })
export const DocumentPage = pageOf(DocumentDto).meta({ id: 'DocumentPage' })
export const NewDocument = z
  .object({
    title: z.string().max(300).trim().min(1),
    text: z.string().min(1).max(200_000),
    /** FAQ: how customers ask what this answers; each question is matched on its own. */
    questions: z.array(z.string().max(500).trim().min(1)).max(50).optional(),
  })
  .strict()
  .meta({ id: 'NewDocument' })
/** The upload's multipart form: the handler reads it (`req.file()`), Fastify does not validate it. */
export const UploadDocument = z
  .object({
    file: z
      .file()
      .meta({ description: 'A .md or .txt file up to 1 MB; its name without the extension is the title' }),
  })
  .meta({ id: 'UploadDocument' })
export const DocumentParams = z.object({ id: Id, docId: Id }).strict()

const Channel = z.enum(CHANNELS)
const Status = z.enum(CONVERSATION_STATUSES)

export const ContactIn = z
  .object({
    email: Email.optional(),
    phone: z
      .string()
      .regex(/^\+?[0-9 ().-]{6,25}$/)
      .optional(),
    name: z.string().max(120).trim().min(1).optional(),
  })
  .strict()
export const Contact = z
  .object({
    id: Id,
    email: z.string().nullable(),
    phone: z.string().nullable(),
    name: z.string().nullable(),
  })
  .meta({ id: 'Contact' })

export const Conversation = z
  .object({
    id: Id,
    agentId: Id,
    contactId: Id.nullable(),
    channel: Channel,
    status: Status,
    messageCount: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    lastMessageAt: Timestamp.nullable(),
  })
  .meta({ id: 'Conversation' })
export const ConversationPage = pageOf(Conversation).meta({ id: 'ConversationPage' })
export const NewConversation = z
  .object({ agentId: Id, channel: Channel, contact: ContactIn.optional() })
  .strict()
  .meta({ id: 'NewConversation' })
export const ConversationQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: Id.optional(),
    status: Status.optional(),
    channel: Channel.optional(),
    agentId: Id.optional(),
    contactId: Id.optional(),
    from: Timestamp.optional(),
    to: Timestamp.optional(),
  })
  .strict()

export const MessageDto = z
  .object({
    id: Id,
    role: z.enum(['customer', 'agent', 'human', 'system']),
    text: z.string(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Message' })
export const ConversationDetail = Conversation.extend({
  contact: Contact.nullable(),
  messages: z.array(MessageDto),
}).meta({ id: 'ConversationDetail' })

export const NewFeedback = z
  .object({
    rating: z.enum(['positive', 'negative']),
    csat: z.number().int().min(1).max(5).optional(),
    comment: z.string().max(2000).optional(),
  })
  .strict()
  .meta({ id: 'NewFeedback' })
export const FeedbackDto = z
  .object({
    id: Id,
    conversationId: Id,
    rating: z.enum(['positive', 'negative']),
    csat: z.number().int().nullable(),
    comment: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Feedback' })

export const NewOutcome = z
  .object({
    type: z.enum(OUTCOME_TYPES),
    amount: z.number().nonnegative().max(1e12).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. EUR')
      .optional(),
  })
  .strict()
  .meta({ id: 'NewOutcome' })
export const OutcomeDto = z
  .object({
    id: Id,
    conversationId: Id,
    type: z.enum(OUTCOME_TYPES),
    amount: z.number().nullable(),
    currency: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Outcome' })

export const Organization = z
  .object({
    id: Id,
    name: z.string(),
    vertical: Vertical,
    complianceApproved: z.boolean(),
    roiAssumptions: z.object({
      minutesPerConversation: z.number(),
      hourlyCost: z.number(),
      currency: z.string(),
      subscriptionMonthly: z.number(),
      resolutionWindowHours: z.number(),
      durableDays: z.number(),
    }),
    privacy: z.object({
      /** Whether the contact's name goes into remote models' prompts (off unless an admin allows it). */
      namesToRemoteModels: z.boolean(),
    }),
    createdAt: Timestamp,
  })
  .meta({ id: 'Organization' })
export const PrivacySettings = z
  .object({ namesToRemoteModels: z.boolean() })
  .strict()
  .meta({ id: 'PrivacySettings' })
export const RoiPatch = z
  .object({
    minutesPerConversation: z.number().positive().max(600).optional(),
    hourlyCost: z.number().nonnegative().max(10_000).optional(),
    subscriptionMonthly: z.number().nonnegative().max(10_000_000).optional(),
    resolutionWindowHours: z
      .number()
      .positive()
      .max(24 * 30)
      .optional(),
    durableDays: z.number().positive().max(90).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
  })
  .strict()
  .meta({ id: 'RoiAssumptionsPatch' })

export const AuditEntry = z
  .object({
    id: Id,
    actorType: z.enum(['user', 'api_key', 'system']),
    actorId: Id.nullable(),
    action: z.string(),
    resourceType: z.string(),
    resourceId: z.string().nullable(),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
  })
  .meta({ id: 'AuditEntry' })
export const AuditEntryPage = pageOf(AuditEntry).meta({ id: 'AuditEntryPage' })

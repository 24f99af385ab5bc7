import {
  getAgent,
  getConversation,
  getOrganization,
  type Agent,
  type Conversation,
  type ConversationMemory,
  type Db,
  type Organization,
} from '@luneo/warehouse'
import type { VerticalTemplate } from '@luneo/models'
import { AppError, notFound } from '../../errors.js'

/** The conversation a message belongs to, with its agent, organization and vertical template. */
export interface Loaded {
  conversation: Conversation
  agent: Agent
  org: Organization
  template: VerticalTemplate
  memory: ConversationMemory
}

/**
 * Step 1, load: the conversation within the caller's organization (another tenant's id is a 404),
 * its agent and template. A regulated vertical answers only once the organization is approved.
 */
export async function load(
  db: Db,
  templates: Map<string, VerticalTemplate>,
  organizationId: string,
  conversationId: string,
): Promise<Loaded> {
  const conversation = await getConversation(db, organizationId, conversationId)
  if (!conversation) throw notFound('Conversation')
  const [agent, org] = await Promise.all([
    getAgent(db, organizationId, conversation.agent_id),
    getOrganization(db, organizationId),
  ])
  if (!agent || !org) throw notFound('Conversation')
  const template = templates.get(agent.vertical)
  if (!template) throw new AppError('conflict', `No template for vertical ${agent.vertical}`)
  if (template.requiresCompliance && !org.compliance_approved) throw new AppError('compliance_required')
  return { conversation, agent, org, template, memory: conversation.memory ?? {} }
}

import { sql, type RawBuilder } from 'kysely'
import type { Db } from '@luneo/warehouse'

// The atomicity test's eyes: after writes failed at injected points, no table may hold a row the
// rest of its write is missing for (an orphan: a row without its event or audit row, a message
// without its reply, a document without chunks) and the outbox no event whose rows do not exist (a
// ghost). Each check is one query naming the offending ids; the whole database is searched, every
// organization (signups create new ones). The subqueries use `e` (outbox) and `a` (audit_log): the
// outer tables take other aliases.

interface Check {
  name: string
  ids: RawBuilder<{ id: string }>
}

const oneEvent = (type: string, ref: RawBuilder<unknown>, id: RawBuilder<unknown>) =>
  sql`(SELECT count(*) FROM outbox e WHERE e.type = ${type} AND ${ref} = ${id}::text) <> 1`
const oneAudit = (action: string, id: RawBuilder<unknown>) =>
  sql`(SELECT count(*) FROM audit_log a WHERE a.action = ${action} AND a.resource_id = ${id}::text) <> 1`

const orphans: Check[] = [
  {
    name: 'organization without exactly one organization.created event',
    ids: sql`SELECT o.id FROM organizations o WHERE ${oneEvent('organization.created', sql`e.organization_id::text`, sql`o.id`)}`,
  },
  {
    name: 'organization without exactly one organization.created audit row',
    ids: sql`SELECT o.id FROM organizations o WHERE ${oneAudit('organization.created', sql`o.id`)}`,
  },
  {
    name: 'organization without an owner',
    ids: sql`SELECT o.id FROM organizations o WHERE NOT EXISTS
      (SELECT 1 FROM memberships m WHERE m.organization_id = o.id AND m.role = 'owner')`,
  },
  {
    name: 'user without a membership',
    ids: sql`SELECT u.id FROM users u WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)`,
  },
  {
    name: 'session without the membership it was opened for',
    ids: sql`SELECT s.id FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM memberships m
      WHERE m.user_id = s.user_id AND m.organization_id = s.organization_id)`,
  },
  {
    // Signup queues the owner's verification link with it: both, or neither.
    name: 'user whose signup left no email verification',
    ids: sql`SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id AND m.role = 'owner'
      WHERE NOT EXISTS (SELECT 1 FROM email_verifications v WHERE v.user_id = u.id)`,
  },
  {
    name: 'email verification without its user or its queued email',
    ids: sql`SELECT v.id FROM email_verifications v
      WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = v.user_id)
        OR NOT EXISTS (SELECT 1 FROM email_outbox q WHERE q.kind = 'email_verification'
          AND q.organization_id = v.organization_id AND lower(q.to_address) = lower(v.email))`,
  },
  {
    name: 'agent without exactly one agent.created event',
    ids: sql`SELECT ag.id FROM agents ag WHERE ${oneEvent('agent.created', sql`e.envelope->>'agentId'`, sql`ag.id`)}`,
  },
  {
    name: 'agent without exactly one agent.created audit row',
    ids: sql`SELECT ag.id FROM agents ag WHERE ${oneAudit('agent.created', sql`ag.id`)}`,
  },
  {
    // Agent creation seeds this knowledge base for the agent: alone, it is what a failed one left.
    name: 'starter knowledge base linked to no agent',
    ids: sql`SELECT k.id FROM knowledge_bases k WHERE k.name LIKE '% starter knowledge'
      AND NOT EXISTS (SELECT 1 FROM agent_knowledge_bases l WHERE l.knowledge_base_id = k.id)`,
  },
  {
    name: 'knowledge base without exactly one knowledge_base.created audit row',
    ids: sql`SELECT k.id FROM knowledge_bases k WHERE ${oneAudit('knowledge_base.created', sql`k.id`)}`,
  },
  {
    name: 'document without exactly one document.created audit row',
    ids: sql`SELECT d.id FROM knowledge_documents d WHERE ${oneAudit('document.created', sql`d.id`)}`,
  },
  {
    name: 'document without chunks',
    ids: sql`SELECT d.id FROM knowledge_documents d
      WHERE NOT EXISTS (SELECT 1 FROM knowledge_chunks c WHERE c.document_id = d.id)`,
  },
  {
    name: 'chunk without its document',
    ids: sql`SELECT c.id FROM knowledge_chunks c
      WHERE NOT EXISTS (SELECT 1 FROM knowledge_documents d WHERE d.id = c.document_id)`,
  },
  {
    name: 'conversation without exactly one conversation.started event',
    ids: sql`SELECT c.id FROM conversations c WHERE ${oneEvent('conversation.started', sql`e.envelope->>'conversationId'`, sql`c.id`)}`,
  },
  {
    name: 'conversation without exactly one conversation.created audit row',
    ids: sql`SELECT c.id FROM conversations c WHERE ${oneAudit('conversation.created', sql`c.id`)}`,
  },
  {
    name: "conversation whose message_count is not its messages' count",
    ids: sql`SELECT c.id FROM conversations c
      WHERE c.message_count <> (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)`,
  },
  {
    name: 'customer message without exactly one message.received event',
    ids: sql`SELECT m.id FROM messages m WHERE m.role = 'customer'
      AND ${oneEvent('message.received', sql`e.envelope->'payload'->>'messageId'`, sql`m.id`)}`,
  },
  {
    name: 'customer message without exactly one message.created audit row',
    ids: sql`SELECT m.id FROM messages m WHERE m.role = 'customer' AND ${oneAudit('message.created', sql`m.id`)}`,
  },
  {
    name: 'customer message without exactly one reply',
    ids: sql`SELECT m.id FROM messages m WHERE m.role = 'customer'
      AND ${oneEvent('reply.sent', sql`e.envelope->'payload'->>'replyToId'`, sql`m.id`)}`,
  },
  {
    name: 'agent message without exactly one reply.sent event',
    ids: sql`SELECT m.id FROM messages m WHERE m.role = 'agent'
      AND ${oneEvent('reply.sent', sql`e.envelope->'payload'->>'messageId'`, sql`m.id`)}`,
  },
  {
    name: 'feedback without exactly one feedback.submitted event',
    ids: sql`SELECT f.id FROM feedback f WHERE ${oneEvent('feedback.submitted', sql`e.envelope->'payload'->>'feedbackId'`, sql`f.id`)}`,
  },
  {
    name: 'feedback without exactly one feedback.created audit row',
    ids: sql`SELECT f.id FROM feedback f WHERE ${oneAudit('feedback.created', sql`f.id`)}`,
  },
  {
    name: 'outcome without exactly one outcome.recorded event',
    ids: sql`SELECT o.id FROM outcomes o WHERE ${oneEvent('outcome.recorded', sql`e.envelope->'payload'->>'outcomeId'`, sql`o.id`)}`,
  },
  {
    // Posted outcomes have their own audit row; a lead an action recorded is audited with its turn.
    name: 'outcome audited neither by itself nor with the turn that recorded it',
    ids: sql`SELECT o.id FROM outcomes o WHERE NOT EXISTS
        (SELECT 1 FROM audit_log a WHERE a.action = 'outcome.recorded' AND a.resource_id = o.id::text)
      AND NOT EXISTS (SELECT 1 FROM outbox e JOIN audit_log a ON a.request_id = e.envelope->>'correlationId'
        WHERE e.type = 'outcome.recorded' AND e.envelope->'payload'->>'outcomeId' = o.id::text
          AND a.action = 'message.created')`,
  },
  {
    name: 'contact that no conversation and no event names',
    ids: sql`SELECT k.id FROM contacts k
      WHERE NOT EXISTS (SELECT 1 FROM conversations c WHERE c.contact_id = k.id)
        AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.envelope->>'contactId' = k.id::text)`,
  },
]

// Every id an event names must be a row: organizationId, conversationId, agentId, contactId, and
// the payload's own ids.
const refs: [string, RawBuilder<unknown>, string][] = [
  ['organizationId', sql`e.envelope->>'organizationId'`, 'organizations'],
  ['conversationId', sql`e.envelope->>'conversationId'`, 'conversations'],
  ['agentId', sql`e.envelope->>'agentId'`, 'agents'],
  ['contactId', sql`e.envelope->>'contactId'`, 'contacts'],
  ['payload.messageId', sql`e.envelope->'payload'->>'messageId'`, 'messages'],
  ['payload.replyToId', sql`e.envelope->'payload'->>'replyToId'`, 'messages'],
  ['payload.feedbackId', sql`e.envelope->'payload'->>'feedbackId'`, 'feedback'],
  ['payload.outcomeId', sql`e.envelope->'payload'->>'outcomeId'`, 'outcomes'],
]
const ghosts: Check[] = refs.map(([name, ref, table]) => ({
  name: `event whose ${name} is no ${table} row`,
  ids: sql`SELECT e.id FROM outbox e WHERE ${ref} IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM ${sql.table(table)} r WHERE r.id::text = ${ref})`,
}))

// Audit rows of a creation whose resource does not exist (deletions are left out: their resource
// is gone by design).
const audited: [string, string][] = [
  ['organization', 'organizations'],
  ['agent', 'agents'],
  ['knowledge_base', 'knowledge_bases'],
  ['knowledge_document', 'knowledge_documents'],
  ['conversation', 'conversations'],
  ['message', 'messages'],
  ['feedback', 'feedback'],
  ['outcome', 'outcomes'],
  ['api_key', 'api_keys'],
  ['widget_key', 'widget_keys'],
]
const ghostAudits: Check[] = audited.map(([type, table]) => ({
  name: `audit row of a ${type} that does not exist`,
  ids: sql`SELECT a.id FROM audit_log a WHERE a.resource_type = ${type} AND a.action NOT LIKE '%.deleted'
    AND NOT EXISTS (SELECT 1 FROM ${sql.table(table)} r WHERE r.id::text = a.resource_id)`,
}))

const count = async (db: Db, q: RawBuilder<{ n: number }>) => Number((await q.execute(db)).rows[0]?.n)

export async function findOrphansAndGhosts(db: Db) {
  const problems: { check: string; ids: string[] }[] = []
  for (const c of [...orphans, ...ghosts, ...ghostAudits]) {
    const rows = (await sql<{ id: string }>`${c.ids} LIMIT 5`.execute(db)).rows
    if (rows.length > 0) problems.push({ check: c.name, ids: rows.map((r) => String(r.id)) })
  }
  return {
    problems,
    checked: {
      messages: await count(db, sql`SELECT count(*)::int AS n FROM messages`),
      events: await count(db, sql`SELECT count(*)::int AS n FROM outbox`),
    },
    /** What the database holds, for the test to compare with the requests that succeeded. */
    async counts() {
      const n = (q: RawBuilder<unknown>) => count(db, sql`SELECT count(*)::int AS n FROM ${q}`)
      return {
        organizations: await n(sql`organizations`),
        users: await n(sql`users`),
        sessions: await n(sql`sessions`),
        agents: await n(sql`agents`),
        manualDocuments: await n(sql`knowledge_documents WHERE source = 'manual'`),
        conversations: await n(sql`conversations`),
        feedback: await n(sql`feedback`),
        outcomes: await n(sql`outcomes`),
        leadsFromTurns: await n(sql`outbox e WHERE e.type = 'outcome.recorded' AND EXISTS
          (SELECT 1 FROM audit_log a WHERE a.request_id = e.envelope->>'correlationId' AND a.action = 'message.created')`),
        customerMessages: await n(sql`messages WHERE role = 'customer'`),
      }
    },
    /** Rows that carry a failed request's id, and accounts of failed signups' emails. */
    async tracesOf(requestIds: string[], emails: string[]) {
      return {
        events: await count(
          db,
          sql`SELECT count(*)::int AS n FROM outbox WHERE envelope->>'correlationId' = ANY(${requestIds})`,
        ),
        auditRows: await count(
          db,
          sql`SELECT count(*)::int AS n FROM audit_log WHERE request_id = ANY(${requestIds})`,
        ),
        users: await count(db, sql`SELECT count(*)::int AS n FROM users WHERE email = ANY(${emails})`),
      }
    },
  }
}

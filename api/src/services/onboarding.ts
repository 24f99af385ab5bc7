import { getTemplate, type OnboardingQuestion } from '@luneo/models'
import {
  deleteDocument,
  getOrganization,
  linkKnowledgeBaseToAllAgents,
  listAgents,
  listOnboardingAnswers,
  upsertOnboardingAnswer,
  type Db,
  type KnowledgeDocument,
  type OnboardingAnswer,
} from '@luneo/warehouse'
import { z } from 'zod'
import type { Auth, Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { AppError, notFound, type FieldError } from '../errors.js'
import { isoOrNull } from '../schemas/common.js'
import type { OnboardingAnswers } from '../schemas/onboarding.js'
import { audit } from './audit.js'
import { indexDocument, insertDocumentTx, insertKnowledgeBaseTx } from './knowledge.js'

const ANSWERS_KB = 'Onboarding answers'

/** What an answer of each kind must be; numbers and booleans arrive as JSON numbers and booleans. */
function answerSchema(q: OnboardingQuestion): z.ZodType<string | number | boolean> {
  switch (q.kind) {
    case 'url':
      return z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000)
    case 'number':
      return z.number().finite().nonnegative().max(1_000_000_000)
    case 'boolean':
      return z.boolean()
    case 'choice':
      return z.string().refine((v) => (q.options ?? []).includes(v), {
        message: `must be one of: ${(q.options ?? []).join(', ')}`,
      })
    case 'text':
      return z.string().trim().min(1, 'must not be empty').max(2000)
  }
}

/** Checks every answer against its question; all problems are reported at once, nothing is written. */
export function parseAnswers(
  questions: OnboardingQuestion[],
  answers: Record<string, string | number | boolean>,
): { question: OnboardingQuestion; value: string }[] {
  const errors: FieldError[] = []
  const parsed: { question: OnboardingQuestion; value: string }[] = []
  for (const [id, raw] of Object.entries(answers)) {
    const question = questions.find((q) => q.id === id)
    const path = `body.answers.${id}`
    if (!question) {
      errors.push({ path, message: 'no such onboarding question for this vertical' })
      continue
    }
    const r = answerSchema(question).safeParse(raw)
    if (!r.success) errors.push(...r.error.issues.map((i) => ({ path, message: i.message })))
    else
      parsed.push({ question, value: typeof r.data === 'boolean' ? (r.data ? 'yes' : 'no') : String(r.data) })
  }
  if (errors.length > 0) {
    const detail = errors.map((e) => `${e.path.slice('body.answers.'.length)}: ${e.message}`).join('; ')
    throw new AppError('validation_failed', `Some answers are not valid (${detail})`, errors)
  }
  return parsed
}

/** The knowledge base holding the answers' documents, if the organization answered anything yet. */
export async function onboardingKnowledgeBaseId(db: Db, organizationId: string): Promise<string | null> {
  const rows = await listOnboardingAnswers(db, organizationId)
  return rows.find((r) => r.knowledge_base_id)?.knowledge_base_id ?? null
}

export async function readOnboarding(deps: AppDeps, auth: Auth) {
  const org = await getOrganization(deps.db, auth.organizationId)
  if (!org) throw notFound('Organization')
  const template = getTemplate(org.vertical)
  const rows = new Map(
    (await listOnboardingAnswers(deps.db, auth.organizationId)).map((r) => [r.question_id, r]),
  )
  const questions = template.onboardingQuestions.map((q) => {
    const a = rows.get(q.id)
    return {
      id: q.id,
      question: q.question,
      kind: q.kind,
      options: q.options ?? null,
      required: q.required,
      customerFacing: q.knowledge !== undefined,
      answer: a?.value ?? null,
      documentId: a?.document_id ?? null,
      answeredAt: isoOrNull(a?.updated_at ?? null),
    }
  })
  const required = questions.filter((q) => q.required)
  const answered = required.filter((q) => q.answer !== null).length
  const firstAgent = await listAgents(deps.db, auth.organizationId, { limit: 1 })
  return {
    vertical: org.vertical,
    templateName: template.name,
    questions,
    answered,
    required: required.length,
    complete: answered === required.length,
    knowledgeBaseId: [...rows.values()].find((r) => r.knowledge_base_id)?.knowledge_base_id ?? null,
    minutesHumanPerConversation: template.escalation.minutesHumanPerConversation,
    agentId: firstAgent.items[0]?.id ?? null,
  }
}

/** The answers' knowledge base: the one the answers name, else a new one linked to every agent. */
async function answersKnowledgeBase(trx: Db, caller: Caller, rows: OnboardingAnswer[]): Promise<string> {
  const existing = rows.find((r) => r.knowledge_base_id)?.knowledge_base_id
  if (existing) return existing
  const kb = await insertKnowledgeBaseTx(trx, caller, {
    name: ANSWERS_KB,
    description: "Facts from the owner's onboarding answers",
  })
  // Answers describe the business: every agent of it should know them (new agents link it too).
  await linkKnowledgeBaseToAllAgents(trx, caller.auth.organizationId, kb.id)
  return kb.id
}

/**
 * Saves answers (merged with earlier ones). A customer-facing answer becomes a confirmed knowledge
 * document written from the template's sentence; a changed answer replaces its document. The
 * template's unconfirmed starter documents are left as they are (ADR 0019).
 */
export async function saveOnboardingAnswers(
  deps: AppDeps,
  caller: Caller,
  body: z.infer<typeof OnboardingAnswers>,
) {
  const { auth } = caller
  const org = await getOrganization(deps.db, auth.organizationId)
  if (!org) throw notFound('Organization')
  const parsed = parseAnswers(getTemplate(org.vertical).onboardingQuestions, body.answers)
  const written: KnowledgeDocument[] = []
  const replaced: { kbId: string; docId: string }[] = []
  await deps.db.transaction().execute(async (trx) => {
    const rows = await listOnboardingAnswers(trx, auth.organizationId)
    const kbId = parsed.some((p) => p.question.knowledge)
      ? await answersKnowledgeBase(trx, caller, rows)
      : null
    for (const { question, value } of parsed) {
      const before = rows.find((r) => r.question_id === question.id)
      let documentId = before?.document_id ?? null
      const knowledge = question.knowledge
      if (knowledge && kbId && (before?.value !== value || !documentId)) {
        if (before?.document_id && before.knowledge_base_id) {
          await deleteDocument(trx, auth.organizationId, before.knowledge_base_id, before.document_id)
          replaced.push({ kbId: before.knowledge_base_id, docId: before.document_id })
        }
        const text = knowledge.text.replaceAll('{answer}', value)
        const doc = await insertDocumentTx(
          trx,
          caller,
          kbId,
          { title: knowledge.title, text, questions: knowledge.questions },
          'onboarding',
        )
        written.push(doc)
        documentId = doc.id
      }
      await upsertOnboardingAnswer(trx, {
        organization_id: auth.organizationId,
        question_id: question.id,
        value,
        knowledge_base_id: knowledge ? kbId : null,
        document_id: knowledge ? documentId : null,
      })
    }
    const details = { questionIds: parsed.map((p) => p.question.id), documents: written.length }
    await audit(
      trx,
      caller,
      'onboarding.answers_saved',
      { type: 'organization', id: auth.organizationId },
      details,
    )
  })
  // After commit, like every document write: a failed request leaves neither rows nor vectors.
  for (const r of replaced)
    await deps.ai.index
      .deleteDocument(auth.organizationId, r.kbId, r.docId)
      .catch((err: unknown) => caller.log.warn({ err }, 'vector cleanup failed'))
  for (const doc of written) await indexDocument(deps, doc)
  return readOnboarding(deps, auth)
}

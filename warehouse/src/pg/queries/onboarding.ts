import type { Kysely, Selectable } from 'kysely'
import type { Database, OnboardingAnswersTable } from '../schema.js'

export type OnboardingAnswer = Selectable<OnboardingAnswersTable>

/** The organization's answers to its template's onboarding questions. */
export async function listOnboardingAnswers(
  db: Kysely<Database>,
  organizationId: string,
): Promise<OnboardingAnswer[]> {
  return db
    .selectFrom('onboarding_answers')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('question_id')
    .execute()
}

/** Writes (or rewrites) one answer and the document written from it. */
export async function upsertOnboardingAnswer(
  db: Kysely<Database>,
  row: Pick<
    OnboardingAnswer,
    'organization_id' | 'question_id' | 'value' | 'knowledge_base_id' | 'document_id'
  >,
): Promise<void> {
  await db
    .insertInto('onboarding_answers')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['organization_id', 'question_id']).doUpdateSet({
        value: row.value,
        knowledge_base_id: row.knowledge_base_id,
        document_id: row.document_id,
        updated_at: new Date(),
      }),
    )
    .execute()
}

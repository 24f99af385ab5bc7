import { z } from 'zod'
import { Id, Timestamp, Vertical } from './common.js'

export const OnboardingQuestionDto = z
  .object({
    id: z.string(),
    question: z.string(),
    kind: z.enum(['text', 'number', 'boolean', 'choice', 'url']),
    options: z.array(z.string()).nullable(),
    required: z.boolean(),
    /** Whether the answer becomes knowledge customers may be told (else it is an internal figure). */
    customerFacing: z.boolean(),
    /** The organization's answer as stored (numbers and booleans as text); null until answered. */
    answer: z.string().nullable(),
    /** The confirmed knowledge document written from the answer. */
    documentId: Id.nullable(),
    answeredAt: Timestamp.nullable(),
  })
  .meta({ id: 'OnboardingQuestion' })

export const Onboarding = z
  .object({
    vertical: Vertical,
    templateName: z.string(),
    questions: z.array(OnboardingQuestionDto),
    /** Required questions answered, of `required`. */
    answered: z.number().int(),
    required: z.number().int(),
    complete: z.boolean(),
    /** Where the answers' documents live (linked to every agent); null before the first answer. */
    knowledgeBaseId: Id.nullable(),
    /** The template's figure: the default for the ROI assumption "minutes per conversation". */
    minutesHumanPerConversation: z.number(),
    /** The organization's first agent, for the wizard's test conversation; null while it has none. */
    agentId: Id.nullable(),
  })
  .meta({ id: 'Onboarding' })

export const OnboardingAnswers = z
  .object({
    /** Question id → answer; checked against the question's kind (url, number, boolean, choice, text). */
    answers: z.record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean()])),
  })
  .strict()
  .meta({ id: 'OnboardingAnswers' })

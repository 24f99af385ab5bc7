import { z } from 'zod'

const Slug = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case identifier')

export const TemplateIntent = z.object({
  name: Slug,
  description: z.string().min(1),
  // Six phrasings is the floor for the intent classifier to generalise beyond exact wording.
  examples: z.array(z.string().min(1)).min(6),
  action: Slug.optional(),
})

export const Workflow = z.object({
  name: Slug,
  trigger: z.string().min(1),
  steps: z.array(z.string().min(1)).min(1),
})

export const Tone = z.object({
  style: z.string().min(1),
  greeting: z.string().min(1),
  vocabulary: z.array(z.string()),
  avoid: z.array(z.string()),
})

export const OnboardingQuestion = z.object({
  id: Slug,
  question: z.string().min(1),
  kind: z.enum(['text', 'number', 'boolean', 'choice', 'url']).default('text'),
  options: z.array(z.string()).optional(),
  required: z.boolean().default(true),
  /**
   * What a customer may be told once the owner answers: a knowledge document whose text has
   * `{answer}` replaced by the answer. Absent for internal figures (average order value, costs).
   */
  knowledge: z
    .object({
      title: z.string().min(1),
      text: z.string().includes('{answer}'),
      /** How customers ask for this; indexed with the text so retrieval matches their words. */
      questions: z.array(z.string().min(1)).default([]),
    })
    .optional(),
})

export const Kpi = z.object({ id: Slug, name: z.string().min(1), description: z.string().min(1) })

export const Escalation = z.object({
  /** Minutes a human needs per conversation: the default behind "human time saved". */
  minutesHumanPerConversation: z.number().positive().default(6),
  confidenceBelow: z.number().min(0).max(1).default(0.35),
  negativeSentiment: z.boolean().default(true),
  maxUnansweredTurns: z.number().int().positive().default(2),
})

export const VerticalTemplate = z
  .object({
    id: Slug,
    version: z.number().int().positive(),
    name: z.string().min(1),
    description: z.string().default(''),
    requiresCompliance: z.boolean(),
    onboardingQuestions: z.array(OnboardingQuestion).min(1),
    intents: z.array(TemplateIntent).min(1),
    workflows: z.array(Workflow),
    tone: Tone,
    kpis: z.array(Kpi).min(1),
    objections: z.array(z.object({ objection: z.string().min(1), answer: z.string().min(1) })),
    defaultKnowledge: z.array(
      z.object({
        title: z.string().min(1),
        text: z.string().min(1),
        /** How customers ask for this; indexed with the text so retrieval matches their words. */
        questions: z.array(z.string().min(1)).default([]),
      }),
    ),
    blockedTopics: z.array(z.string().min(1)),
    actions: z.array(Slug).min(1),
    escalation: Escalation.default({
      minutesHumanPerConversation: 6,
      confidenceBelow: 0.35,
      negativeSentiment: true,
      maxUnansweredTurns: 2,
    }),
  })
  .superRefine((t, ctx) => {
    const names = t.intents.map((i) => i.name)
    if (new Set(names).size !== names.length)
      ctx.addIssue({ code: 'custom', message: 'duplicate intent names', path: ['intents'] })
    // Every vertical must let a customer reach a person.
    if (!names.includes('human_handoff'))
      ctx.addIssue({ code: 'custom', message: 'missing human_handoff intent', path: ['intents'] })
    t.intents.forEach((intent, i) => {
      if (intent.action !== undefined && !t.actions.includes(intent.action)) {
        ctx.addIssue({
          code: 'custom',
          message: `intent action "${intent.action}" not in actions`,
          path: ['intents', i, 'action'],
        })
      }
    })
  })

export type VerticalTemplate = z.infer<typeof VerticalTemplate>
export type TemplateIntent = z.infer<typeof TemplateIntent>
export type Tone = z.infer<typeof Tone>
export type OnboardingQuestion = z.infer<typeof OnboardingQuestion>

// The onboarding wizard's steps, in order; the current one lives in the URL (?step=…) so a
// reload, the back button or a link resumes exactly there.
export const STEPS = [
  { id: 'questions', label: 'About your business' },
  { id: 'knowledge', label: 'Your knowledge' },
  { id: 'roi', label: 'ROI assumptions' },
  { id: 'widget', label: 'Website widget' },
  { id: 'test', label: 'Test conversation' },
] as const

export type StepId = (typeof STEPS)[number]['id']

/** The step a `?step=` value names; anything else starts at the first. */
export function stepOf(value: string | null | undefined): StepId {
  return STEPS.find((s) => s.id === value)?.id ?? 'questions'
}

/** The step's position, 1-based (what "Step 2 of 5" shows). */
export const stepNumber = (id: StepId): number => STEPS.findIndex((s) => s.id === id) + 1

/** The step after `id`, or null after the last. */
export function nextStep(id: StepId): StepId | null {
  return STEPS[stepNumber(id)]?.id ?? null
}

/** The step before `id`, or null on the first. */
export function previousStep(id: StepId): StepId | null {
  const i = stepNumber(id) - 2
  return i >= 0 ? STEPS[i]!.id : null
}

export const stepHref = (id: StepId): string => `/onboarding?step=${id}`

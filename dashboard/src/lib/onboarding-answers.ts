import type { Schemas } from './api'

type Question = Pick<Schemas['OnboardingQuestion'], 'id' | 'kind'>
type Value = string | number | boolean

/** The typed answers a form holds (numbers as numbers, yes/no as booleans); blanks are left out. */
export function answersOf(questions: Question[], form: FormData): Record<string, Value> {
  const out: Record<string, Value> = {}
  for (const q of questions) {
    const raw = form.get(q.id)
    if (typeof raw !== 'string' || raw.trim() === '') continue
    if (q.kind === 'number') out[q.id] = Number(raw)
    else if (q.kind === 'boolean') out[q.id] = raw === 'yes'
    else out[q.id] = raw.trim()
  }
  return out
}

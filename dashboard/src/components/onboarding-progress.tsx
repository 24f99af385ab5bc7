'use client'
// The wizard's steps as links (each step is a URL, so any can be reopened), the current one marked.
import Link from 'next/link'
import { STEPS, stepHref, stepNumber, type StepId } from '@/lib/onboarding-steps'

export function OnboardingProgress({ step }: { step: StepId }) {
  const current = stepNumber(step)
  return (
    <nav aria-label="Onboarding steps">
      <p className="mb-2 text-sm text-gray-700" data-testid="step-of">
        Step {current} of {STEPS.length}
      </p>
      <ol className="flex flex-wrap gap-2">
        {STEPS.map((s, i) => (
          <li key={s.id}>
            <Link
              href={stepHref(s.id)}
              aria-current={s.id === step ? 'step' : undefined}
              className={`block rounded border px-3 py-1 text-sm ${
                s.id === step
                  ? 'border-blue-700 bg-blue-50 font-semibold text-blue-900'
                  : i + 1 < current
                    ? 'border-green-700 text-green-900'
                    : 'border-gray-300 text-gray-700'
              }`}
            >
              {i + 1}. {s.label}
            </Link>
          </li>
        ))}
      </ol>
    </nav>
  )
}

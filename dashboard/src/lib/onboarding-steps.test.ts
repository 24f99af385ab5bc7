import { describe, expect, it } from 'vitest'
import { nextStep, previousStep, stepHref, stepNumber, stepOf, STEPS } from './onboarding-steps'

describe('onboarding steps', () => {
  it('reads the step from the URL, starting at the first for anything unknown', () => {
    expect(stepOf('roi')).toBe('roi')
    expect(stepOf('nope')).toBe('questions')
    expect(stepOf(null)).toBe('questions')
  })

  it('walks the five steps in order, both ways', () => {
    expect(STEPS.map((s) => s.id)).toEqual(['questions', 'knowledge', 'roi', 'widget', 'test'])
    expect(stepNumber('questions')).toBe(1)
    expect(stepNumber('test')).toBe(5)
    expect(nextStep('questions')).toBe('knowledge')
    expect(nextStep('test')).toBeNull()
    expect(previousStep('questions')).toBeNull()
    expect(previousStep('widget')).toBe('roi')
    expect(stepHref('widget')).toBe('/onboarding?step=widget')
  })
})

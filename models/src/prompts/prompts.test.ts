import { describe, expect, it } from 'vitest'
import { promptVariables, renderPrompt } from './render.js'
import { DEFAULT_SYSTEM_PROMPT, buildSystemPrompt } from './system-prompt.js'

const tone = {
  style: 'friendly and brief',
  greeting: 'Hi there!',
  vocabulary: ['order', 'parcel'],
  avoid: ['jargon'],
}

describe('renderPrompt', () => {
  it('fills placeholders, with or without spaces', () => {
    expect(renderPrompt('Hello {{name}}, you have {{ n }} orders', { name: 'Ana', n: 3 })).toBe(
      'Hello Ana, you have 3 orders',
    )
  })
  it('throws on missing variables, naming them', () => {
    expect(() => renderPrompt('{{a}} {{b}} {{c}}', { a: 1 })).toThrow('missing variable(s) b, c')
  })
  it('does not re-expand placeholders inside values', () => {
    expect(renderPrompt('{{a}}', { a: '{{b}}' })).toBe('{{b}}')
  })
  it('lists variables', () => {
    expect(promptVariables('{{a}} {{b}} {{a}}')).toEqual(['a', 'b'])
  })
})

describe('buildSystemPrompt', () => {
  it('renders the default prompt with tone, intent, contact and memory', () => {
    const p = buildSystemPrompt({
      tone,
      intent: 'order_status',
      contactName: 'Ana',
      memory: ['ordered a blue jacket'],
      businessName: 'Shop',
    })
    expect(p).toContain('virtual assistant of Shop')
    expect(p).toContain('Greet new conversations with "Hi there!"')
    expect(p).toContain('The customer is Ana. Their likely intent is order_status.')
    expect(p).toContain('ordered a blue jacket')
    expect(p).not.toContain('{{')
  })
  it('works without optional fields and with a custom variant', () => {
    const p = buildSystemPrompt({ tone })
    expect(p).toContain('intent is unknown')
    expect(p).not.toMatch(/\n\n/)
    expect(
      buildSystemPrompt({ tone, template: '{{greeting}} ({{campaign}})', vars: { campaign: 'spring' } }),
    ).toBe('Hi there! (spring)')
    expect(() => buildSystemPrompt({ tone, template: '{{unknown_var}}' })).toThrow(/unknown_var/)
    expect(DEFAULT_SYSTEM_PROMPT).toContain('{{tone_style}}')
  })
})

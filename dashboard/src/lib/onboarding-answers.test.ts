import { describe, expect, it } from 'vitest'
import { pageTitle } from './knowledge-page'
import { answersOf } from './onboarding-answers'
import { originsOf, snippetOf } from './widget'

describe('answersOf', () => {
  it('types each answer by its question’s kind and leaves blanks out', () => {
    const form = new FormData()
    form.set('days', '14')
    form.set('dpa', 'no')
    form.set('url', ' https://shop.example.com ')
    form.set('hours', '   ')
    const questions = [
      { id: 'days', kind: 'number' as const },
      { id: 'dpa', kind: 'boolean' as const },
      { id: 'url', kind: 'url' as const },
      { id: 'hours', kind: 'text' as const },
      { id: 'platform', kind: 'choice' as const },
    ]
    expect(answersOf(questions, form)).toEqual({ days: 14, dpa: false, url: 'https://shop.example.com' })
  })
})

describe('widget helpers', () => {
  it('reads one origin per line or comma, keeping a line with spaces whole for the API to refuse', () => {
    expect(originsOf('https://a.example\n https://b.example ,https://c.example\n\n')).toEqual([
      'https://a.example',
      'https://b.example',
      'https://c.example',
    ])
    expect(originsOf('not an origin')).toEqual(['not an origin'])
  })

  it('writes the tag widget.js reads', () => {
    expect(snippetOf('https://api.example/widget.js', 'pk_1')).toBe(
      '<script src="https://api.example/widget.js" data-key="pk_1" async></script>',
    )
  })
})

describe('pageTitle', () => {
  it('uses the page address, else the first line', () => {
    expect(pageTitle('https://help.example.com/returns/', 'x')).toBe('help.example.com/returns')
    expect(pageTitle('', '\nReturns\nWe take them back.')).toBe('Returns')
    expect(pageTitle('', '')).toBe('Help-centre page')
  })
})

import { describe, expect, it } from 'vitest'
import { knowledgeHref, knowledgeQueryOf } from './knowledge-filters'

const kb = '0190a8a0-0000-7000-8000-000000000001'
const doc = '0190a8a0-0000-7000-8000-000000000002'

describe('knowledge settings URL', () => {
  it('round-trips a selection', () => {
    const href = knowledgeHref({ kb, doc })
    expect(href).toBe(`/settings/knowledge?kb=${kb}&doc=${doc}`)
    expect(knowledgeQueryOf(new URL(href, 'http://x').searchParams)).toEqual({ kb, cursor: null, doc })
  })

  it('ignores what is not an id, and a document without its knowledge base', () => {
    expect(knowledgeQueryOf(new URLSearchParams('kb=../../x&doc=1'))).toEqual({
      kb: null,
      cursor: null,
      doc: null,
    })
    expect(knowledgeHref({ doc })).toBe('/settings/knowledge')
  })
})

import { describe, expect, it } from 'vitest'
import { GAP_PAGE, gapListHref, gapQueryOf } from './gap-filters'

const id = '0192f0c4-7a3e-7c11-9b2a-5d6e7f809a1b'

describe('gapQueryOf', () => {
  it('defaults to the open queue, first page', () => {
    expect(gapQueryOf(new URLSearchParams())).toEqual({ status: 'open', limit: GAP_PAGE })
  })

  it('reads the status and the cursor from the URL', () => {
    expect(gapQueryOf(new URLSearchParams(`status=accepted&cursor=${id}`))).toEqual({
      status: 'accepted',
      limit: GAP_PAGE,
      cursor: id,
    })
  })

  it('drops what the API would refuse instead of sending it to fail', () => {
    expect(gapQueryOf(new URLSearchParams('status=done&cursor=nope'))).toEqual({
      status: 'open',
      limit: GAP_PAGE,
    })
  })
})

describe('gapListHref', () => {
  it('names the status, and the cursor only past the first page', () => {
    expect(gapListHref('rejected')).toBe('/gaps?status=rejected')
    expect(gapListHref('open', id)).toBe(`/gaps?status=open&cursor=${id}`)
  })
})

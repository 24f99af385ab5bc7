import { describe, expect, it } from 'vitest'
import { granulesOf } from './scale-endpoints.js'

// chDB 3.4's `EXPLAIN indexes = 1` of a conversation_outcomes_v1 read (1M-event bench set).
const oneRead = `Aggregating
└──Filter ((WHERE + Change column names to column identifiers))
   └──ReadFromMergeTree (default.conversation_outcomes_v1)
         FINAL: 1
         Parts: 3 | Granules: 3
         Indexes:
           PrimaryKey
             Keys:
               organization_id
               started_at
             Parts: 3/5
             Granules: 3/25
           Ranges: 3
`
// A join of two reads, the first pruned by partition (MinMax, Partition) before the primary key.
const twoReads = `Join
├──ReadFromMergeTree (default.reply_signals_v1)
│     Indexes:
│       MinMax
│         Parts: 8/12
│         Granules: 300/420
│       Partition
│         Parts: 8/12
│         Granules: 300/420
│       PrimaryKey
│         Parts: 2/8
│         Granules: 7/300
└──ReadFromMergeTree (default.conversation_outcomes_v1)
      Indexes:
        PrimaryKey
          Parts: 1/5
          Granules: 5/25
`

describe('granulesOf', () => {
  it('reads the last index stage of each read as what is read, the first as the table', () => {
    expect(granulesOf(oneRead)).toEqual({ selected: 3, total: 25, reads: 1 })
    expect(granulesOf(twoReads)).toEqual({ selected: 7 + 5, total: 420 + 25, reads: 2 })
  })
  it('counts nothing for a plan without a MergeTree read', () => {
    expect(granulesOf('Expression\n  ReadFromStorage (SystemOne)\n')).toEqual({
      selected: 0,
      total: 0,
      reads: 0,
    })
  })
})

import { estimatePieces, splitClauses, splitSentences } from './sentences.js'

export interface ChunkOptions {
  /**
   * Most word pieces a chunk holds (estimated: ~4 characters a piece). 150 ≈ 600 characters of
   * English: one idea per chunk, so its vector is not diluted by unrelated text, and well inside
   * MiniLM's 256-piece window (what lies past it is never read).
   */
  maxPieces?: number
  /** Sentences repeated at the start of the next chunk, so an answer split across a boundary is still found. */
  overlapSentences?: number
}

/**
 * Splits a document into retrieval chunks that hold whole sentences: paragraphs stay together when
 * they fit, sentences are packed up to the budget and never cut; a sentence longer than the budget
 * alone is cut at clause boundaries (models/src/text/sentences.ts). Decimals, versions, domains and
 * abbreviations do not end a sentence.
 */
export function chunkText(text: string, options: ChunkOptions = {}): string[] {
  const budget = options.maxPieces ?? 150
  const overlap = options.overlapSentences ?? 1
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => splitSentences(p).flatMap((s) => splitClauses(s, budget)))
    .filter((p) => p.length > 0)
  const chunks: string[] = []
  let current: string[] = []
  let fresh = 0 // units added since the last flush (the overlap is not new text)
  const size = (units: string[]) => estimatePieces(units.join(' '))
  const flush = () => {
    if (fresh > 0) chunks.push(current.join(' '))
    current = overlap > 0 ? current.slice(-overlap) : []
    fresh = 0
  }
  const add = (unit: string) => {
    if (fresh > 0 && size([...current, unit]) > budget) flush()
    // The overlap gives way when it would not leave room for the new sentence.
    while (current.length > 0 && fresh === 0 && size([...current, unit]) > budget) current.shift()
    current.push(unit)
    fresh += 1
  }
  for (const sentences of paragraphs) {
    // A paragraph that fits a chunk starts one rather than being split across two.
    if (fresh > 0 && size(sentences) <= budget && size([...current, ...sentences]) > budget) flush()
    for (const s of sentences) add(s)
  }
  flush()
  return chunks
}

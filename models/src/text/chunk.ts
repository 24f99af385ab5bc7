export interface ChunkOptions {
  /** Soft upper bound on a chunk's length in characters. */
  maxChars?: number
  /** Sentences repeated at the start of the next chunk, so an answer split across a boundary is still found. */
  overlapSentences?: number
}

const SENTENCE = /[^.!?\n]+(?:[.!?]+|\n|$)/g

/** Splits into sentences, keeping headings and list items (one per line) as their own units. */
function sentences(paragraph: string): string[] {
  return (paragraph.match(SENTENCE) ?? []).map((s) => s.trim()).filter(Boolean)
}

/**
 * Splits a document into retrieval chunks: paragraphs are kept whole when they fit, long ones
 * are cut at sentence boundaries. 600 characters (~120 words) keeps one idea per chunk, so a
 * chunk's embedding is not diluted by unrelated text.
 */
export function chunkText(text: string, options: ChunkOptions = {}): string[] {
  const maxChars = options.maxChars ?? 600
  const overlap = options.overlapSentences ?? 1
  const paragraphs = text
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
  const chunks: string[] = []
  let current: string[] = []
  let length = 0
  let fresh = 0 // units added since the last flush (the overlap is not new text)
  const flush = () => {
    if (fresh > 0) chunks.push(current.join(' '))
    current = overlap > 0 ? current.slice(-overlap) : []
    length = current.reduce((n, s) => n + s.length + 1, 0)
    fresh = 0
  }
  for (const paragraph of paragraphs) {
    if (paragraph.length <= maxChars && length + paragraph.length > maxChars && fresh > 0) flush()
    for (const sentence of paragraph.length <= maxChars ? [paragraph] : sentences(paragraph)) {
      if (length + sentence.length > maxChars && fresh > 0) flush()
      current.push(sentence)
      length += sentence.length + 1
      fresh += 1
    }
  }
  flush()
  return chunks
}

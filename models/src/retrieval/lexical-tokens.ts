import { STOPWORDS, stem } from '../text/text-features.js'

// Words, numbers and codes: letters/digits joined by inner - _ . / (SKU-1234, A3, 19.99, v2.1).
const TOKEN = /[\p{L}\p{N}]+(?:[-_./][\p{L}\p{N}]+)*/gu
const HAS_DIGIT = /\p{N}/u
const DECIMAL = /^\p{N}+(?:\.\p{N}+)+$/u

/**
 * Terms for lexical search (BM25). Unlike the embedders' normaliser, it keeps what a customer
 * types to name one thing: numbers whole ("30", "19.99"), codes in every spelling a person uses
 * ("SKU-1234" → `sku-1234`, `sku1234`, `sku`, `1234`), and product names as their words. Plain
 * words are lower-cased, stemmed lightly and stop words dropped; a token with a digit is never
 * stemmed nor dropped ("a3" stays `a3`).
 */
export function lexicalTerms(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
  const out: string[] = []
  for (const match of folded.matchAll(TOKEN)) {
    const token = match[0]
    const parts = token.split(/[-_./]/)
    // A number with a decimal point or a version is one thing: "19.99" is not "1999" nor "99".
    if (parts.length === 1 || DECIMAL.test(token)) {
      pushWord(out, token)
      continue
    }
    // A compound: the whole, its parts run together, and each part, so "SKU 1234", "sku1234"
    // and "SKU-1234" meet; a hyphenated word ("e-mail") also meets "email".
    out.push(token, parts.join(''))
    for (const part of parts) pushWord(out, part)
  }
  return out
}

function pushWord(out: string[], word: string): void {
  if (HAS_DIGIT.test(word)) out.push(word)
  else if (!STOPWORDS.has(word) && word.length > 1) out.push(stem(word))
}

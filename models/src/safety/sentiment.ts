import { tokenize } from '../text/text-features.js'

export interface SentimentResult {
  negative: boolean
  /** Compound polarity in [-1, 1]; below the threshold (default −0.3) counts as negative. */
  score: number
}

// Valence on VADER's −4..4 scale, trimmed to words customers use with support agents.
const LEXICON: Record<string, number> = {
  angry: -3,
  annoyed: -2,
  annoying: -2,
  awful: -3,
  bad: -2.5,
  broken: -2,
  cancel: -1,
  cheated: -3,
  complain: -2,
  complaint: -2,
  confused: -1,
  damaged: -2,
  delay: -1.5,
  delayed: -1.5,
  disappointed: -2.5,
  disappointing: -2.5,
  disgusted: -3,
  dissatisfied: -2.5,
  error: -1.5,
  fail: -2,
  failed: -2,
  fraud: -3,
  frustrated: -2.5,
  frustrating: -2.5,
  furious: -3.5,
  garbage: -3,
  hate: -3,
  horrible: -3,
  incompetent: -3,
  joke: -1.5,
  late: -1.5,
  lied: -3,
  lost: -1.5,
  mad: -2.5,
  mess: -2,
  missing: -1.5,
  never: -1,
  poor: -2.5,
  problem: -1.5,
  ridiculous: -2.5,
  rude: -3,
  scam: -3.5,
  sick: -1.5,
  slow: -1.5,
  stuck: -1.5,
  stupid: -3,
  terrible: -3,
  unacceptable: -3,
  unhappy: -2.5,
  upset: -2.5,
  useless: -3,
  waste: -2.5,
  worse: -2.5,
  worst: -3.5,
  wrong: -2,
  refund: -0.5,
  lawyer: -2,
  sue: -2.5,
  amazing: 3,
  appreciate: 2,
  awesome: 3,
  best: 3,
  excellent: 3,
  fantastic: 3,
  fine: 1,
  glad: 2,
  good: 2,
  great: 3,
  happy: 2.5,
  helpful: 2,
  love: 3,
  nice: 2,
  perfect: 3,
  pleased: 2.5,
  quick: 1.5,
  resolved: 2,
  satisfied: 2,
  solved: 2,
  thank: 1.5,
  thanks: 1.5,
  wonderful: 3,
  works: 1,
}

const NEGATORS = new Set([
  'not',
  'no',
  'never',
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'wasnt',
  'cant',
  'cannot',
  'wont',
  'hardly',
  'nothing',
  'neither',
  'nor',
  'without',
  'arent',
  'havent',
  'hasnt',
])
const BOOSTERS: Record<string, number> = {
  very: 0.3,
  so: 0.3,
  really: 0.3,
  extremely: 0.5,
  totally: 0.4,
  absolutely: 0.4,
  completely: 0.4,
  too: 0.2,
  incredibly: 0.5,
}

// VADER constants: a negator scales by −0.74; normalisation alpha = 15.
const NEGATION_SCALE = -0.74
const ALPHA = 15

/** Lexicon sentiment with negation ("not good"), boosters and shouting; no model needed. */
export function detectNegativeSentiment(text: string, threshold = -0.3): SentimentResult {
  const words = tokenize(text)
  let sum = 0
  words.forEach((w, i) => {
    let v = LEXICON[w]
    if (v === undefined || (w === 'never' && LEXICON[words[i + 1] ?? ''] !== undefined)) return
    const prev = words[i - 1] ?? ''
    const boost = BOOSTERS[prev]
    if (boost !== undefined) v += Math.sign(v) * boost
    // Negation reaches three words back: "not very good", "didn't really help".
    if (words.slice(Math.max(0, i - 3), i).some((p) => NEGATORS.has(p))) v *= NEGATION_SCALE
    sum += v
  })
  // Shouting and exclamation marks amplify whatever polarity is there.
  const bangs = Math.min(3, (text.match(/!/g) ?? []).length)
  const shouting = /\b[A-Z]{4,}\b/.test(text) && text !== text.toLowerCase() && text === text.toUpperCase()
  const amp = 1 + bangs * 0.1 + (shouting ? 0.2 : 0)
  const raw = sum * amp
  const score = raw / Math.sqrt(raw * raw + ALPHA)
  return { negative: score <= threshold, score: Math.round(score * 1000) / 1000 }
}

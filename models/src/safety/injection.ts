export interface InjectionResult {
  flagged: boolean
  /** 0..1, combined as 1 − Π(1 − weight) over the rules that fired. */
  score: number
  reasons: string[]
}

interface Rule {
  reason: string
  weight: number
  pattern: RegExp
}

// Weights: one strong signal alone (≥ 0.5) flags; weak signals need company. Patterns run on
// the de-obfuscated text (see `canonicalize`), so zero-width splits and fullwidth letters don't help.
const RULES: Rule[] = [
  {
    reason: 'asks to ignore previous instructions',
    weight: 0.9,
    pattern:
      /\b(ignore|disregard|forget|skip|override|bypass)\b.{0,40}\b(previous|prior|above|earlier|preceding|original|all|your|system|the)\b.{0,30}\b(instructions?|rules|prompts?|directions|guidelines|context|messages)\b/,
  },
  {
    reason: 'asks to reveal the system prompt',
    weight: 0.8,
    pattern:
      /\b(reveal|show|print|repeat|display|output|leak|tell me|what (is|are|was)|give me|copy|dump)\b.{0,40}\b(system prompt|system message|initial (prompt|instructions)|hidden (prompt|instructions)|your (instructions|prompt|rules)|developer (message|instructions)|text above)\b/,
  },
  {
    reason: 'role play as an unrestricted persona',
    weight: 0.7,
    pattern:
      /\b(you are now|from now on you are|act as|pretend (to be|you are)|roleplay as|role play as|become)\b.{0,30}\b(dan|developer|admin(istrator)?|root|jailbroken|unrestricted|unfiltered|evil|god mode|sudo)\b/,
  },
  {
    reason: 'jailbreak vocabulary',
    weight: 0.6,
    pattern:
      /\b(do anything now|developer mode|jailbreak|dan mode|no (restrictions|limits|filters)|without (any )?(restrictions|filters|censorship))\b/,
  },
  {
    reason: 'asks to bypass safety',
    weight: 0.6,
    pattern:
      /\b(bypass|disable|turn off|circumvent)\b.{0,20}\b(safety|filters?|guardrails|moderation|restrictions|content policy)\b/,
  },
  {
    reason: 'announces new instructions',
    weight: 0.5,
    pattern: /\b(new|updated|real|actual) (instructions|rules|system prompt)\s*[:-]/,
  },
  {
    reason: 'chat-format delimiter injection',
    weight: 0.6,
    pattern:
      /(<\|?im_(start|end)\|?>|<\|(system|assistant|user|endoftext)\|>|\[\/?inst\]|<<\/?sys>>|<\/?s>|<\/?system>|^\s*(#{2,}|-{3,}|={3,})\s*(system|assistant|instructions?)\b|^\s*(system|assistant)\s*:)/m,
  },
  {
    reason: 'pretends to be the operator',
    weight: 0.4,
    pattern: /\b(i am|this is) (your|the) (developer|creator|admin(istrator)?|operator|openai)\b/,
  },
]

const ZERO_WIDTH = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD\u180E]/g
const BASE64_TOKEN = /[A-Za-z0-9+/]{24,}={0,2}/g

/** Undo cheap obfuscations: zero-width chars, fullwidth/compat letters, s p a c e d letters, leetspeak. */
export function canonicalize(text: string): string {
  const t = text.normalize('NFKC').replace(ZERO_WIDTH, '').toLowerCase()
  // "i g n o r e" → "ignore": runs of ≥ 4 single letters separated by single spaces/dots.
  const unspaced = t.replace(/\b(?:[a-z][ ._-]){3,}[a-z]\b/g, (m) => m.replace(/[ ._-]/g, ''))
  const leet: Record<string, string> = {
    '0': 'o',
    '1': 'i',
    '3': 'e',
    '4': 'a',
    '5': 's',
    '7': 't',
    '@': 'a',
    $: 's',
  }
  // Only tokens mixing letters and leet digits ("1gn0re"), so plain numbers stay numbers.
  const deleet = unspaced.replace(/[a-z0-9@$]+/g, (tok) =>
    /[a-z]/.test(tok) && /[013457@$]/.test(tok) ? tok.replace(/[013457@$]/g, (c) => leet[c] ?? c) : tok,
  )
  return deleet.replace(/[ \t]+/g, ' ')
}

/** Heuristic prompt-injection detector; flags at score ≥ threshold (default 0.5). */
export function detectPromptInjection(text: string, threshold = 0.5): InjectionResult {
  const reasons: string[] = []
  const weights: number[] = []
  const fire = (reason: string, weight: number): void => {
    if (reasons.includes(reason)) return
    reasons.push(reason)
    weights.push(weight)
  }
  // Keep newlines for the line-anchored delimiter rule; canonicalize the rest line by line.
  const canonical = text.split('\n').map(canonicalize).join('\n')
  for (const r of RULES) if (r.pattern.test(canonical)) fire(r.reason, r.weight)
  if (/[\u200B-\u200F\u2060-\u2064\uFEFF\u180E]/.test(text)) fire('zero-width characters', 0.2)
  for (const decoded of decodeBase64Tokens(text)) {
    const inner = RULES.filter((r) => r.pattern.test(canonicalize(decoded)))
    if (inner.length > 0) fire(`base64-encoded instructions (${inner[0]?.reason})`, 0.8)
  }
  const score = 1 - weights.reduce((p, w) => p * (1 - w), 1)
  return { flagged: score >= threshold, score: Math.round(score * 1000) / 1000, reasons }
}

/** Decode long base64-looking tokens that turn out to be mostly printable text. */
function decodeBase64Tokens(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(BASE64_TOKEN)) {
    const decoded = Buffer.from(m[0], 'base64').toString('utf8')
    const printable = decoded.replace(/[^\x20-\x7E]/g, '').length
    if (decoded.length > 0 && printable / decoded.length > 0.9) out.push(decoded)
  }
  return out
}

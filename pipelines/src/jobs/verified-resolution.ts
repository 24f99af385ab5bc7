import { createHash } from 'node:crypto'

export const JUDGE_SYSTEM = [
  "You review customer-support transcripts between a customer and a business's AI assistant.",
  "Decide whether the assistant resolved the customer's request without needing a person.",
  'Answer on the first line with exactly "VERDICT: YES" or "VERDICT: NO",',
  'then on the second line "REASON: " and one sentence.',
].join(' ')

export interface Verdict {
  verified: boolean
  reason: string
}

/** Parses the judge's answer; anything without a clear verdict is null (not counted either way). */
export function parseVerdict(text: string): Verdict | null {
  const v = /VERDICT:\s*(YES|NO)\b/i.exec(text)
  if (!v) return null
  const reason = /REASON:\s*(.+)/i.exec(text)?.[1]?.trim() ?? ''
  return { verified: v[1]!.toUpperCase() === 'YES', reason: reason.slice(0, 500) }
}

/** Deterministic sample: the same conversations are judged on every run and every replica. */
export function inSample(conversationId: string, rate: number): boolean {
  const h = createHash('sha256').update(conversationId).digest().readUInt32BE(0)
  return h / 0x1_0000_0000 < rate
}

/** The transcript as the judge reads it (already redacted by the caller). */
export function transcript(messages: { role: string; text: string }[]): string {
  return messages
    .map(
      (m) => `${m.role === 'customer' ? 'Customer' : m.role === 'agent' ? 'Assistant' : 'Staff'}: ${m.text}`,
    )
    .join('\n')
}

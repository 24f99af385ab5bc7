import type { VerticalTemplate } from '@luneo/models'

/** Questions the starter knowledge cannot answer, per vertical: they become the demo's knowledge gaps. */
export const OUT_OF_KNOWLEDGE: Record<string, string[]> = {
  ecommerce: [
    'Do you offer gift wrapping for orders?',
    'Can I add a gift message to my parcel?',
    'Is gift wrapping available at checkout?',
    'Can I pay with cryptocurrency or bitcoin?',
    'Do you accept crypto payments?',
    'Do you have a loyalty program or reward points?',
    'How do I earn loyalty points on purchases?',
  ],
  real_estate: [
    'Do you accept pets in your rental apartments?',
    'Are dogs allowed in the flat?',
    'Is there parking included with the apartment?',
    'Does the flat come with a parking space?',
    'Can I sublet the apartment during summer?',
    'What is the energy rating of the building?',
  ],
  accounting: [
    'Do you handle crypto tax declarations?',
    'Can you help with taxes on my bitcoin gains?',
    'Do you work with clients abroad, in another country?',
    'Can you do my accounts if I live overseas?',
    'Do you offer a discount for startups?',
    'Is there a startup price for new companies?',
  ],
}

const OPENERS = ['', 'Hi, ', 'Hello! ', 'Quick question: ', 'Hey — ']

/** A customer question: mostly the template's intents (as customers phrase them), some out of knowledge. */
export function pickQuestion(
  template: VerticalTemplate,
  rnd: () => number,
): { text: string; inKnowledge: boolean } {
  const opener = OPENERS[Math.floor(rnd() * OPENERS.length)]!
  if (rnd() < 0.18) {
    const list = OUT_OF_KNOWLEDGE[template.id] ?? []
    return { text: opener + list[Math.floor(rnd() * list.length)]!, inKnowledge: false }
  }
  const intents = template.intents.filter((i) => i.name !== 'human_handoff' || rnd() < 0.3)
  const intent = intents[Math.floor(rnd() * intents.length)]!
  const example = intent.examples[Math.floor(rnd() * intent.examples.length)]!
  return { text: opener + example.charAt(0).toLowerCase() + example.slice(1), inKnowledge: true }
}

/** A small seeded PRNG (mulberry32): the same demo every time. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const ORG_NAMES: Record<string, string[]> = {
  ecommerce: [
    'Northwind Shop',
    'Lumen Outdoor',
    'Petit Atelier',
    'Cobalt Electronics',
    'Verde Home',
    'Kite & Co',
  ],
  real_estate: [
    'Harbor Realty',
    'Maison Lumière',
    'Oakline Estates',
    'Cityloft Rentals',
    'Greenfield Homes',
    'Bay Street Lettings',
  ],
  accounting: [
    'Ledger & Partners',
    'Clearbooks Advisory',
    'Fiducia Conseil',
    'Summit Tax',
    'Brightline Accounting',
    'Numbers Studio',
  ],
}

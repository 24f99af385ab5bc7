import { createRng, type VerticalTemplate } from '@luneo/models'

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

/**
 * A customer question: half the time something the starter knowledge covers (as customers ask
 * it), otherwise one of the template's intents (some without knowledge yet) or a question no
 * knowledge answers — the demo's knowledge gaps.
 */
export function pickQuestion(
  template: VerticalTemplate,
  rnd: () => number,
): { text: string; inKnowledge: boolean } {
  const opener = OPENERS[Math.floor(rnd() * OPENERS.length)]!
  const lower = (t: string) => opener + (opener ? t.charAt(0).toLowerCase() + t.slice(1) : t)
  const roll = rnd()
  if (roll < 0.18) {
    const list = OUT_OF_KNOWLEDGE[template.id] ?? []
    return { text: lower(list[Math.floor(rnd() * list.length)]!), inKnowledge: false }
  }
  const faq = template.defaultKnowledge.flatMap((d) => d.questions)
  if (roll < 0.7 && faq.length)
    return { text: lower(faq[Math.floor(rnd() * faq.length)]!), inKnowledge: true }
  const intents = template.intents.filter((i) => i.name !== 'human_handoff' || rnd() < 0.3)
  const intent = intents[Math.floor(rnd() * intents.length)]!
  return { text: lower(intent.examples[Math.floor(rnd() * intent.examples.length)]!), inKnowledge: true }
}

/** A small seeded PRNG (mulberry32, from models): the same demo every time. */
export const seeded: (seed: number) => () => number = createRng

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

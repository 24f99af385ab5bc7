import { createRng, type VerticalTemplate } from '@luneo/models'

/**
 * Questions the starter knowledge cannot answer, per vertical and topic: they become the demo's
 * knowledge gaps (one gap per topic is what the queue should show).
 */
export const OUT_OF_KNOWLEDGE: Record<string, Record<string, string[]>> = {
  ecommerce: {
    gift_wrapping: [
      'Do you offer gift wrapping for orders?',
      'Can I add a gift message to my parcel?',
      'Is gift wrapping available at checkout?',
    ],
    crypto_payment: ['Can I pay with cryptocurrency or bitcoin?', 'Do you accept crypto payments?'],
    loyalty_points: [
      'Do you have a loyalty program or reward points?',
      'How do I earn loyalty points on purchases?',
    ],
  },
  real_estate: {
    pets: ['Do you accept pets in your rental apartments?', 'Are dogs allowed in the flat?'],
    parking: ['Is there parking included with the apartment?', 'Does the flat come with a parking space?'],
    sublet: ['Can I sublet the apartment during summer?'],
    energy_rating: ['What is the energy rating of the building?'],
  },
  accounting: {
    crypto_tax: ['Do you handle crypto tax declarations?', 'Can you help with taxes on my bitcoin gains?'],
    clients_abroad: [
      'Do you work with clients abroad, in another country?',
      'Can you do my accounts if I live overseas?',
    ],
    startup_discount: [
      'Do you offer a discount for startups?',
      'Is there a startup price for new companies?',
    ],
  },
}

/** How the demo's customers open a question (the gaps must not group by these). */
export const OPENERS = ['', 'Hi, ', 'Hello! ', 'Quick question: ', 'Hey — ']

/** A demo question with its opener: "Quick question: is there free shipping?". */
export const withOpener = (opener: string, t: string) =>
  opener + (opener ? t.charAt(0).toLowerCase() + t.slice(1) : t)

/**
 * Every question the demo can ask of a vertical, labelled by what it is about (the intent, the
 * starter document, or the out-of-knowledge topic), without its opener.
 */
export function demoQuestions(template: VerticalTemplate): { text: string; topic: string }[] {
  return [
    ...Object.entries(OUT_OF_KNOWLEDGE[template.id] ?? {}).flatMap(([topic, qs]) =>
      qs.map((text) => ({ text, topic })),
    ),
    ...template.defaultKnowledge.flatMap((d) => d.questions.map((text) => ({ text, topic: d.title }))),
    ...template.intents.flatMap((i) => i.examples.map((text) => ({ text, topic: i.name }))),
  ]
}

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
  const lower = (t: string) => withOpener(opener, t)
  const roll = rnd()
  if (roll < 0.18) {
    const list = Object.values(OUT_OF_KNOWLEDGE[template.id] ?? {}).flat()
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

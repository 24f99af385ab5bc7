import { describe, expect, it } from 'vitest'
import { isAbstention } from './abstention.js'
import { createLocalProvider } from './local-provider.js'

// The table in ADR 0017: replies that answer nothing (positives) and replies that answer, some
// with a hedge in passing (negatives).
const ABSTAINS: [string, string][] = [
  ['en', "I don't know."],
  ['en', "I'm not sure."],
  ['en', "I'm sorry, I don't have that information."],
  ['en', "Unfortunately, I don't have any information about gift cards."],
  ['en', "I couldn't find anything about shipping to Canada in our documentation."],
  ['en', "I can't find the answer to that in the provided context."],
  ['en', 'The provided context does not mention a store in Lyon.'],
  ['en', "I'm not sure about that. Please contact our support team for more details."],
  ['en', 'Please contact our customer service team for help with this.'],
  ['en', "I'm afraid I can't answer that. Would you like me to connect you with a member of our team?"],
  ['en', 'Sorry, I do not know the answer to that question. Is there anything else I can help you with?'],
  ['en', "I don't have enough information to answer that."],
  ['en', 'There is no information about gift cards in our knowledge base.'],
  ['en', 'Thanks for your question! I’m not certain about that, so I’d recommend contacting our team.'],
  ['fr', 'Je ne sais pas.'],
  ['fr', "Je n'ai pas d'information à ce sujet, veuillez contacter notre service client."],
  ['fr', 'Je ne suis pas sûre de pouvoir vous aider. Merci de contacter notre équipe.'],
  ['es', 'No lo sé.'],
  ['es', 'No tengo información sobre eso. Por favor, contacte con nuestro equipo.'],
  ['es', 'Lo siento, no encuentro información sobre ese producto.'],
  ['de', 'Ich bin mir nicht sicher.'],
  ['de', 'Dazu habe ich leider keine Informationen. Bitte wenden Sie sich an unseren Kundenservice.'],
  ['de', 'Ich weiß es leider nicht.'],
]

const ANSWERS: [string, string][] = [
  ['en', "If you're not sure which size to pick, our size guide lists every measurement."],
  ['en', "Not sure about your order number? It's in the confirmation email we sent you."],
  ['en', "Returns are free within 30 days; if you're not sure, keep the tags on."],
  ['en', "I'm not sure I follow: do you mean the blue jacket or the red one?"],
  ['en', "I don't know the exact date, but orders usually arrive within 3 business days."],
  ['en', "I'm not sure, but I think refunds take 5 business days."],
  ['en', "We don't ship to Canada yet."],
  ['en', "We don't have a physical store in Lyon; everything is sold online."],
  ['en', "I couldn't find an order with that number. Could you check the confirmation email?"],
  ['en', 'Standard delivery takes 2 to 4 business days. If you need it sooner, please contact our team.'],
  ['en', 'Please email returns@shop.example with your order number and we will send a label.'],
  ['en', 'To change your address, call us on +33 1 23 45 67 89 before the parcel ships.'],
  ['en', 'Unsure which plan fits? The Basic plan covers most small shops.'],
  ['fr', "Si vous n'êtes pas sûr de votre taille, consultez notre guide des tailles."],
  ['fr', 'La livraison standard prend 2 à 4 jours ouvrés.'],
  ['es', 'Si no está seguro de su talla, consulte nuestra guía.'],
  ['es', 'Las devoluciones son gratuitas durante 30 días.'],
  ['de', 'Wenn Sie sich nicht sicher sind, hilft Ihnen unsere Größentabelle.'],
  ['de', 'Die Lieferung dauert zwei bis vier Werktage.'],
]

describe('isAbstention', () => {
  it.each(ABSTAINS)('abstains (%s): %s', (_, text) => expect(isAbstention(text)).toBe(true))
  it.each(ANSWERS)('answers (%s): %s', (_, text) => expect(isAbstention(text)).toBe(false))

  it('skips the agent’s greeting, and an empty reply is not an abstention', () => {
    const greeting = 'Welcome to Maison Dupont, how can I help.'
    expect(isAbstention(`${greeting} I don't have that information.`, { greeting })).toBe(true)
    expect(isAbstention(`${greeting} Delivery takes 2 days.`, { greeting })).toBe(false)
    expect(isAbstention('')).toBe(false)
    expect(isAbstention('Hello!')).toBe(false)
  })

  it.each(['en', 'fr', 'es', 'de'])(
    'recognises the local provider’s own “I don’t know” (%s)',
    async (language) => {
      const provider = createLocalProvider()
      const r = await provider.complete({
        model: 'local',
        system: '',
        messages: [{ role: 'user', content: 'Do you sell gift cards?' }],
        context: { chunks: [], tone: { greeting: 'Hi there!' }, language },
      })
      expect(isAbstention(r.text, { greeting: 'Hi there!' })).toBe(true)
    },
  )
})

import type { ReplyStyle } from '../prompts/reply-style.js'
import type { CompletionRequest, ContextChunk } from './types.js'

/**
 * What the local provider can honour of a prompt variant's style (ADR 0017): it cannot rewrite an
 * extractive answer, but it decides what surrounds it — the greeting, words in the variant's
 * register, the source's title, a next step — and how many sentences it quotes (local-provider.ts).
 * Without a style the reply is exactly what it was: the greeting on the first turn, then the answer.
 */

type Tone = NonNullable<ReplyStyle['tone']>

interface Phrases {
  /** Before a grounded answer, by tone (neutral: nothing). */
  opener: Record<Tone, string>
  /** After a grounded answer, by tone: what the customer can do next. */
  nextStep: Record<Tone, string>
  source: (titles: string) => string
}

const PHRASES: Record<string, Phrases> = {
  en: {
    opener: { neutral: '', friendly: 'Happy to help!', formal: 'Thank you for your question.' },
    nextStep: {
      neutral: 'If this does not answer your question, I can connect you with a member of our team.',
      friendly: "Need more? I'm happy to connect you with someone from our team.",
      formal:
        'Should you require further assistance, I would be glad to connect you with a member of our team.',
    },
    source: (t) => `(Source: ${t})`,
  },
  fr: {
    opener: { neutral: '', friendly: 'Avec plaisir !', formal: 'Je vous remercie de votre question.' },
    nextStep: {
      neutral:
        'Si cela ne répond pas à votre question, je peux vous mettre en relation avec un membre de notre équipe.',
      friendly: "Besoin de plus ? Je peux vous mettre en relation avec quelqu'un de notre équipe.",
      formal:
        "Si vous avez besoin d'une aide supplémentaire, je vous mettrai volontiers en relation avec un membre de notre équipe.",
    },
    source: (t) => `(Source : ${t})`,
  },
  es: {
    opener: { neutral: '', friendly: '¡Con mucho gusto!', formal: 'Gracias por su pregunta.' },
    nextStep: {
      neutral: 'Si esto no responde a su pregunta, puedo ponerle en contacto con alguien de nuestro equipo.',
      friendly: '¿Necesita algo más? Con gusto le pongo en contacto con alguien de nuestro equipo.',
      formal: 'Si necesita más ayuda, con gusto le pondré en contacto con un miembro de nuestro equipo.',
    },
    source: (t) => `(Fuente: ${t})`,
  },
  de: {
    opener: { neutral: '', friendly: 'Sehr gern!', formal: 'Vielen Dank für Ihre Frage.' },
    nextStep: {
      neutral:
        'Falls das Ihre Frage nicht beantwortet, kann ich Sie mit jemandem aus unserem Team verbinden.',
      friendly: 'Brauchen Sie mehr? Gern verbinde ich Sie mit jemandem aus unserem Team.',
      formal: 'Sollten Sie weitere Hilfe benötigen, verbinde ich Sie gern mit einem Mitglied unseres Teams.',
    },
    source: (t) => `(Quelle: ${t})`,
  },
}

/**
 * The reply around the answer `body`: greeting, opener, body, source, next step. `quoted` are the
 * chunks the answer drew on (empty when it is the "I don't know" line, which stays as it is).
 */
export function styleReply(req: CompletionRequest, body: string, quoted: readonly ContextChunk[]): string {
  const style: ReplyStyle = req.context.style ?? {}
  const p = PHRASES[(req.context.language ?? 'en').slice(0, 2)] ?? PHRASES.en!
  const answered = quoted.length > 0
  return [
    greetingOf(req, style),
    answered && style.tone ? p.opener[style.tone] : '',
    body,
    answered && style.citeSources ? citation(body, quoted, p) : '',
    answered && style.offerNextStep ? p.nextStep[style.tone ?? 'neutral'] : '',
  ]
    .filter((part) => part !== '')
    .join(' ')
}

/** The vertical's greeting on the first assistant turn only, as a person would; never if the style says so. */
function greetingOf(req: CompletionRequest, style: ReplyStyle): string {
  const greeting = req.context.tone?.greeting
  const firstTurn = !req.messages.some((m) => m.role === 'assistant')
  return greeting && firstTurn && style.greeting !== false ? greeting : ''
}

/** The titles of the chunks the answer quotes a sentence of, in retrieval order. */
function citation(body: string, quoted: readonly ContextChunk[], p: Phrases): string {
  const pieces = body.split(/(?<=[.!?])\s+/u).filter((s) => s.trim() !== '')
  const titles = quoted.filter((c) => c.title && pieces.some((s) => c.text.includes(s))).map((c) => c.title!)
  const unique = [...new Set(titles)]
  return unique.length ? p.source(unique.join('; ')) : ''
}

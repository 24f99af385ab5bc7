/**
 * Does a reply abstain — say it does not know, or only send the customer elsewhere — as its whole
 * answer? A remote model that abstains answered nothing, however well retrieval scored, so the
 * engine counts the reply unanswered (ADR 0017). Pure and deterministic, in the languages the
 * local provider speaks (en, fr, es, de).
 *
 * A reply abstains when every sentence is an abstention ("I don't know", "je n'ai pas cette
 * information"), a referral ("please contact our team", "shall I connect you with a person?") or
 * courtesy (greeting, apology, "anything else?"), and at least one is not courtesy. One sentence
 * that says something else — a fact, a clarifying question, "…but orders usually arrive in 3
 * days" — makes it an answer: hedges in passing ("if you're not sure which size…") never count.
 */

export interface AbstentionOptions {
  /** The greeting the agent opens with (the vertical's tone), skipped wherever it is. */
  greeting?: string
}

type Kind = 'abstain' | 'refer' | 'courtesy' | 'content'

/** JavaScript's \b only knows ASCII letters ("sé", "désolé" end in none): a Unicode one instead. */
const BOUNDARY = String.raw`(?:(?<=[\p{L}\p{N}])(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])(?=[\p{L}\p{N}]))`
const words = (r: RegExp): RegExp => new RegExp(r.source.replaceAll(String.raw`\b`, BOUNDARY), 'u')

/** Openers that carry no answer: apologies and interjections ("Sorry, but …", "Leider …"). */
const OPENER = words(
  /^(?:(?:i'm|i am|we're|we are)\s+(?:so\s+|very\s+|really\s+)?sorry|sorry|unfortunately|regrettably|i apologi[sz]e|(?:my\s+)?apologies|i'm afraid|i am afraid|oh|hmm|well|but|okay|ok|(?:je\s+suis\s+(?:vraiment\s+)?)?désolée?|malheureusement|hélas|pardon|excusez-moi|mais|lo siento(?:\s+mucho)?|lamentablemente|desafortunadamente|disculpe|perdón|pero|(?:es\s+)?tut mir leid|leider|entschuldigung|entschuldigen sie|aber)\b\s*[,!.:;–—-]?\s*/,
)

const I_NEG = String.raw`(?:i|we)\s+(?:really\s+|honestly\s+|currently\s+|still\s+)?(?:do not|don't|dont|cannot|can't|can not|could not|couldn't|am not able to|'m not able to|am unable to|'m unable to|was unable to|wasn't able to|haven't been able to|have not been able to|did not|didn't)`
const INFO = String.raw`(?:any\s+|the\s+|that\s+|this\s+|enough\s+|specific\s+|more\s+|an?\s+|relevant\s+|such\s+)*(?:information|info|answer|answers|details|data|knowledge|record|documentation|mention)`

/** Saying it does not know, anchored at the start of a sentence (after the openers). */
const ABSTAIN: RegExp[] = (
  [
    // en
    /^i\s+(?:really\s+|honestly\s+)?(?:do not|don't|dont)\s+know\b/,
    /^i(?:'m| am)\s+(?:not\s+(?:sure|certain)|unsure|uncertain)\b/,
    new RegExp(
      String.raw`^${I_NEG}\s+(?:have|find|locate|see|provide|give you|share)\s+(?:access to\s+)?${INFO}\b`,
    ),
    new RegExp(String.raw`^${I_NEG}\s+(?:find|locate|see)\s+anything\s+(?:about|on|regarding|related|in)\b`),
    new RegExp(String.raw`^${I_NEG}\s+(?:answer|help with)\s+(?:that|this|it|your question)\b`),
    /^(?:i|we)\s+have\s+no\s+(?:information|info|answer|details|data|knowledge|record)\b/,
    /^(?:there\s+is|there's|there\s+are)\s+no\s+(?:information|mention|details|answer|data)\b/,
    /^(?:that|this|the|such)\s+(?:information|answer|detail)s?\s+(?:is|are)\s+not\s+(?:available|in|included|provided|something)\b/,
    /^(?:the|my|our)\s+(?:provided\s+)?(?:context|documents?|documentation|knowledge(?:\s+base)?|information|sources?)\s+(?:does not|doesn't|do not|don't)\s+(?:contain|mention|include|say|cover|specify|provide|have)\b/,
    // fr
    /^je\s+ne\s+(?:le\s+)?sais\s+pas\b/,
    /^je\s+(?:ne\s+)?suis\s+pas\s+(?:sûre?|certaine?)\b/,
    /^je\s+n'ai\s+(?:pas\s+(?:encore\s+)?|aucune\s+)(?:la\s+réponse|de\s+réponse|réponse|cette\s+information|ces\s+informations|l'information|les\s+informations|d'informations?|informations?|assez\s+d'informations?)\b/,
    /^je\s+ne\s+(?:trouve|vois|dispose)\s+(?:pas|aucune)\s+(?:d'|de\s+|la\s+|l'|cette\s+|d'aucune\s+)?(?:informations?|réponse|mention|rien)\b/,
    /^je\s+n'ai\s+(?:rien\s+trouvé|pas\s+trouvé\s+(?:d'informations?|de\s+réponse|la\s+réponse))\b/,
    /^je\s+ne\s+peux\s+pas\s+(?:vous\s+)?(?:répondre|trouver|vous\s+aider\s+(?:sur|avec|pour)\s+(?:ce|cela|ça|cette))\b/,
    /^il\s+n'y\s+a\s+(?:aucune|pas\s+d')\s*(?:information|mention|réponse)\b/,
    // es
    /^no\s+(?:lo\s+)?sé\b/,
    /^no\s+estoy\s+(?:segur[oa]|convencid[oa])\b/,
    /^(?:todavía\s+|aún\s+)?no\s+(?:tengo|dispongo\s+de)\s+(?:todavía\s+|aún\s+)?(?:la\s+|una\s+|esa\s+|esta\s+|suficiente\s+)?(?:respuesta|información|datos)\b/,
    /^no\s+(?:encuentro|he\s+encontrado|pude\s+encontrar|puedo\s+encontrar|encontré)\s+(?:la\s+|esa\s+|ninguna\s+)?(?:información|respuesta|nada|datos)\b/,
    /^no\s+puedo\s+(?:responder|contestar|ayudarle\s+con\s+eso|ayudarte\s+con\s+eso)\b/,
    /^no\s+hay\s+(?:información|datos|ninguna\s+información)\b/,
    // de
    /^(?:das|dies)\s+weiß\s+ich\s+(?:leider\s+)?(?:noch\s+)?nicht\b/,
    /^ich\s+weiß\s+(?:es\s+|das\s+)?(?:leider\s+)?(?:noch\s+)?nicht\b/,
    /^ich\s+bin\s+(?:mir\s+)?(?:leider\s+)?(?:nicht\s+sicher|unsicher)\b/,
    /^(?:ich\s+habe|(?:dazu|hierzu|darüber)\s+habe\s+ich)\s+(?:leider\s+)?(?:(?:dazu|hierzu|darüber)\s+)?(?:noch\s+)?keine\s+(?:informationen|information|antwort|angaben|daten)\b/,
    /^ich\s+(?:kann|konnte)\s+(?:leider\s+)?(?:dazu\s+|das\s+|darüber\s+|hierzu\s+)?(?:keine\s+(?:informationen|antwort)\s+finden|nichts\s+finden|nicht\s+beantworten)\b/,
    /^ich\s+finde\s+(?:leider\s+)?(?:dazu\s+|hierzu\s+)?(?:keine\s+(?:informationen|antwort)|nichts)\b/,
    /^es\s+(?:gibt|liegen)\s+(?:mir\s+)?(?:leider\s+)?keine\s+informationen\b/,
  ] as RegExp[]
).map(words)

/** Sending the customer elsewhere: "please contact our team", "shall I connect you with someone?". */
const REFER: RegExp[] = (
  [
    /^(?:for\s+(?:this|that|more\s+(?:information|details|help)|further\s+(?:help|assistance|details)),?\s+)?(?:please\s+)?(?:contact|reach out to|get in touch with|call|email|write to|speak (?:to|with))\s+(?:us|our|the|a|your|someone|one of)\b/,
    /^(?:you\s+(?:can|may|could|should|might want to|will need to)|i\s+(?:would\s+)?(?:recommend|suggest))\s+(?:contact(?:ing)?|reach(?:ing)? out to|get(?:ting)? in touch with|speak(?:ing)? (?:to|with))\s+(?:us|our|the|a|someone|one of)\b/,
    /^(?:would you like|do you want|shall|should)\s+(?:me\s+to\s+|i\s+)?(?:connect|transfer|put|pass|forward)\s+you\b/,
    /^(?:i\s+can|i'll|i\s+will|let\s+me)\s+(?:connect|transfer|put|pass|forward)\s+you\b/,
    /^(?:(?:veuillez|merci\s+de)\s+(?:nous\s+)?(?:contacter|vous\s+adresser)|contactez(?:-nous)?\s|n'hésitez\s+pas\s+à\s+(?:nous\s+)?contacter|je\s+vous\s+invite\s+à\s+(?:nous\s+)?contacter)/,
    /^(?:souhaitez-vous|voulez-vous)\s+que\s+je\s+vous\s+(?:mette\s+en\s+relation|transfère|passe)\b|^je\s+peux\s+vous\s+(?:mettre\s+en\s+relation|transférer)\b/,
    /^(?:por\s+favor,?\s+)?(?:contacte|póngase\s+en\s+contacto|comuníquese|contáctenos|le\s+recomiendo\s+(?:contactar|ponerse\s+en\s+contacto))\b/,
    /^(?:quiere|desea)\s+que\s+le\s+(?:ponga\s+en\s+contacto|transfiera|pase)\b|^puedo\s+(?:ponerle|ponerte)\s+en\s+contacto\b/,
    /^(?:bitte\s+)?(?:kontaktieren\s+sie|wenden\s+sie\s+sich)\b/,
    /^(?:soll|darf)\s+ich\s+sie\s+(?:mit\s+.+\s+verbinden|weiterleiten)\b|^ich\s+kann\s+sie\s+(?:mit\s+.+\s+verbinden|weiterleiten)\b/,
  ] as RegExp[]
).map(words)

/** Courtesy that carries no answer: greetings, thanks, "anything else?". */
const COURTESY: RegExp[] = (
  [
    /^(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|bonjour|bonsoir|salut|hola|buen(?:os|as)\s+(?:días|tardes|noches)|hallo|guten\s+(?:tag|morgen|abend)|servus)\b[^.!?]{0,40}$/,
    /^(?:thanks?|thank you)\s+(?:you\s+)?(?:for\s+(?:your|reaching|contacting|the|asking|getting)|so much)\b|^merci\s+(?:pour|de)\s+votre\b|^gracias\s+por\s+su\b|^danke\s+für\s+ihre\b/,
    /^(?:is there anything else|anything else|let me know if|if you have any other questions|feel free to ask|y a-t-il autre chose|puis-je vous aider|avez-vous d'autres questions|¿?hay algo más|¿?puedo ayudarle|kann ich (?:ihnen )?(?:sonst|noch|anderweitig))/,
  ] as RegExp[]
).map(words)

/** A concrete way to reach someone makes "contact …" an answer (an address, a link, a number). */
const CONTACT_DETAIL = /\S+@\S+\.\w|https?:\/\/|www\.|\+?\d[\d\s().-]{6,}\d/
/** "…, but orders usually arrive in 3 days": what follows the contrast is an answer. */
const CONTRAST = words(
  /\b(?:but|however|although|though|mais|cependant|toutefois|pero|sin embargo|aunque|aber|jedoch|allerdings)\b/,
)

const normalize = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()

function stripOpeners(s: string): string {
  let rest = s.replace(/^[¿¡"'«“(\s]+/u, '')
  for (let m = OPENER.exec(rest); m && m[0].length > 0; m = OPENER.exec(rest)) rest = rest.slice(m[0].length)
  return rest.replace(/[\s.!?…»”")]+$/u, '')
}

function kindOf(sentence: string): Kind {
  const raw = sentence.trim()
  const s = stripOpeners(raw)
  if (s === '') return 'courtesy'
  if (COURTESY.some((r) => r.test(s))) return 'courtesy'
  if (REFER.some((r) => r.test(s))) return CONTACT_DETAIL.test(s) ? 'content' : 'refer'
  const hit = ABSTAIN.map((r) => r.exec(s)).find((m) => m !== null)
  if (!hit) return 'content'
  // A question back to the customer ("…do you mean the blue one?") or a contrast is an answer.
  const tail = s.slice(hit[0].length)
  return raw.endsWith('?') || CONTRAST.test(tail) ? 'content' : 'abstain'
}

/** Sentences, cut after . ! ? … and at line breaks (French "équipe ?" included). */
function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/** True when the whole reply abstains or refers the customer elsewhere (see the module comment). */
export function isAbstention(text: string, opts: AbstentionOptions = {}): boolean {
  let t = normalize(text)
  const greeting = opts.greeting ? normalize(opts.greeting) : ''
  if (greeting !== '') t = t.split(greeting).join(' ').trim()
  const kinds = sentencesOf(t).map(kindOf)
  return kinds.some((k) => k === 'abstain' || k === 'refer') && kinds.every((k) => k !== 'content')
}

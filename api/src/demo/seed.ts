import { sql } from 'kysely'
import { loadTemplates, priceTable } from '@luneo/models'
import { hasOrganizations, newId, updateOrganizationRoi } from '@luneo/warehouse'
import type { Auth, Caller } from '../caller.js'
import type { AppDeps } from '../context.js'
import { hashPassword } from '../auth/crypto.js'
import { createEngine } from '../orchestrator/engine.js'
import { fromApi } from '../orchestrator/normalize.js'
import { createAgent } from '../services/agents.js'
import { createOrganizationWithOwner } from '../services/auth.js'
import { confirmAllDocuments } from '../services/knowledge.js'
import { addFeedback, openConversation, recordOutcome } from '../services/conversations.js'
import { createExperiment, createPromptVersion } from '../services/experiments.js'
import { ORG_NAMES, pickQuestion, seeded } from './scenario.js'

export const DEMO_EMAIL = 'demo@luneo.dev'
export const DEMO_PASSWORD = 'luneo-demo-password'

export interface SeedOptions {
  orgsPerVertical?: number
  conversationsPerOrg?: number
  days?: number
  log?: (line: string) => void
}

const DAY = 24 * 3600 * 1000
/** The seeder calls the services as the organization's owner, one request id per call. */
const demoCaller = (auth: Auth): Caller => ({ auth, requestId: newId(), log: console })

/**
 * Seeds a realistic demo on an empty database: six organizations per V1 vertical, agents on the
 * templates' starter knowledge, an experiment, and conversations over the last 60 days run through
 * the real engine (with a moving clock), with feedback, purchases, leads and hand-offs. The demo
 * owner of the first shop signs in with DEMO_EMAIL / DEMO_PASSWORD.
 */
export async function seedDemo(
  deps: AppDeps,
  opts: SeedOptions = {},
): Promise<{ organizations: number; conversations: number }> {
  if (await hasOrganizations(deps.db)) return { organizations: 0, conversations: 0 }
  const log = opts.log ?? (() => undefined)
  const perVertical = opts.orgsPerVertical ?? 6
  const perOrg = opts.conversationsPerOrg ?? 100
  const days = opts.days ?? 60
  const rnd = seeded(2026)
  const now = Date.now()
  let clock = now
  const templates = loadTemplates()
  const engine = createEngine({
    db: deps.db,
    index: deps.ai.index,
    provider: deps.ai.provider,
    templates,
    prices: { ...priceTable, local: { input: 0, output: 0 } },
    defaultModel: deps.config.openai?.model ?? 'local',
    minGroundingScore: deps.ai.minGroundingScore,
    random: rnd,
    clock: () => new Date(clock),
    ...(deps.onEventsCommitted ? { onEventsCommitted: deps.onEventsCommitted } : {}),
  })
  const password = await hashPassword(DEMO_PASSWORD)
  let conversations = 0
  let orgs = 0
  for (const vertical of ['ecommerce', 'real_estate', 'accounting'] as const) {
    const template = templates.get(vertical)!
    for (let i = 0; i < perVertical; i++) {
      const name = ORG_NAMES[vertical]![i] ?? `${template.name} ${i + 1}`
      const email = orgs === 0 ? DEMO_EMAIL : `owner+${vertical}${i}@demo.luneo.dev`
      const auth: Auth = await deps.db
        .transaction()
        .execute((trx) =>
          createOrganizationWithOwner(
            trx,
            newId(),
            { email, password: DEMO_PASSWORD, organizationName: name, vertical },
            password,
          ),
        )
      // The organization has had the demo's `days` of history: benchmarks count established ones only.
      await sql`UPDATE organizations SET created_at = ${new Date(now - days * DAY)} WHERE id = ${auth.organizationId}`.execute(
        deps.db,
      )
      // …and a verified owner: the demo's owners stand for businesses whose people read their mail.
      await sql`UPDATE users SET email_verified_at = now() WHERE email = ${email}`.execute(deps.db)
      await updateOrganizationRoi(deps.db, auth.organizationId, {
        minutes_per_conversation: 4 + Math.round(rnd() * 10),
        hourly_cost: 25 + Math.round(rnd() * 30),
      })
      const agent = await createAgent(deps, demoCaller(auth), { name: `${name} assistant` })
      // The demo businesses' owners vouch for the template's starter facts: they are their
      // policies, so the demo answers from its first conversation (a real owner confirms in Settings).
      for (const kb of agent.knowledgeBaseIds) await confirmAllDocuments(deps, demoCaller(auth), kb)
      const variantOf = i === 0 ? await demoExperiment(deps, auth, agent.id) : null
      for (let n = 0; n < perOrg; n++) {
        clock = now - days * DAY + Math.floor(((n + rnd()) / perOrg) * (days * DAY - 2 * 3600 * 1000))
        await oneConversation(
          deps,
          engine,
          auth,
          agent.id,
          template,
          rnd,
          () => clock,
          (ms) => (clock += ms),
        )
        conversations += 1
      }
      orgs += 1
      log(
        `[demo] ${vertical} · ${name}: ${perOrg} conversations${variantOf ? ' (with a prompt experiment)' : ''} (${orgs}/${perVertical * 3} organizations)`,
      )
    }
  }
  return { organizations: orgs, conversations }
}

async function demoExperiment(deps: AppDeps, auth: Auth, agentId: string): Promise<string> {
  const caller = demoCaller(auth)
  // Two behaviours the local provider really has (ADR 0017), so the experiment compares replies
  // that differ, not two prompts it would ignore alike.
  const a = await createPromptVersion(deps, caller, {
    name: 'support-tone',
    template:
      'You are the assistant of {{business_name}}. Be {{tone_style}}. Answer only from the knowledge given. {{memory}}',
    style: { maxSentences: 4, greeting: true, tone: 'friendly', citeSources: true },
  })
  const b = await createPromptVersion(deps, caller, {
    name: 'support-tone',
    template:
      'You are the assistant of {{business_name}}. Be {{tone_style}} and brief: one short paragraph, then offer the next step. {{memory}}',
    style: { maxSentences: 1, greeting: false, tone: 'neutral', offerNextStep: true },
  })
  const e = await createExperiment(deps, caller, {
    agentId,
    name: 'Brief vs detailed answers',
    variants: [
      { promptVersionId: a.id, label: 'detailed' },
      { promptVersionId: b.id, label: 'brief' },
    ],
  })
  return e.id
}

async function oneConversation(
  deps: AppDeps,
  engine: ReturnType<typeof createEngine>,
  auth: Auth,
  agentId: string,
  template: ReturnType<typeof loadTemplates> extends Map<string, infer T> ? T : never,
  rnd: () => number,
  at: () => number,
  advance: (ms: number) => void,
) {
  const channel = rnd() < 0.6 ? 'widget' : rnd() < 0.7 ? 'api' : 'email'
  const c = await openConversation(deps, demoCaller(auth), { agentId, channel }, new Date(at()))
  let grounded = false
  // Whether the last question was one no knowledge answers: a reply that still claims an answer
  // (the retrieval found something near, like shipping for "gift wrapping") is wrong for this
  // customer, who says so — that, not only "I don't know", is what the gap queue is made of.
  let missed = false
  const turns = rnd() < 0.35 ? 2 : 1
  for (let t = 0; t < turns; t++) {
    advance(20_000 + Math.floor(rnd() * 60_000))
    const q = pickQuestion(template, rnd)
    const r = await engine.respond(demoCaller(auth), c.id, fromApi({ text: q.text }, channel))
    grounded = r.grounded
    missed = !q.inKnowledge
    if (r.escalated) return
  }
  advance(60_000 + Math.floor(rnd() * 120_000))
  const rate = rnd()
  const satisfied = grounded && !missed
  if (satisfied && rate < 0.35) {
    await addFeedback(
      deps,
      demoCaller(auth),
      c.id,
      { rating: 'positive', csat: rnd() < 0.7 ? 5 : 4 },
      new Date(at()),
    )
  } else if (!satisfied && rate < (missed ? 0.6 : 0.4)) {
    await addFeedback(
      deps,
      demoCaller(auth),
      c.id,
      { rating: 'negative', csat: rnd() < 0.5 ? 1 : 2 },
      new Date(at()),
    )
  }
  // Some of those customers then reach a person by another way: a hand-off the business records.
  if (missed && rnd() < 0.3) {
    advance(300_000)
    await recordOutcome(deps, demoCaller(auth), c.id, { type: 'handoff' }, new Date(at()))
    return
  }
  if (satisfied && template.id === 'ecommerce' && rnd() < 0.22) {
    advance(300_000)
    await recordOutcome(
      deps,
      demoCaller(auth),
      c.id,
      { type: 'purchase', amount: Math.round(20 + rnd() * 180) },
      new Date(at()),
    )
  }
  if (satisfied && template.id !== 'ecommerce' && rnd() < 0.12) {
    advance(600_000)
    const amount =
      template.id === 'real_estate' ? Math.round(3000 + rnd() * 9000) : Math.round(400 + rnd() * 1600)
    await recordOutcome(deps, demoCaller(auth), c.id, { type: 'purchase', amount }, new Date(at()))
  }
}

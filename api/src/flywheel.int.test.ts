import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBgeSmallModel } from '@luneo/models'
import {
  FAQ_PHRASINGS,
  faqDocument,
  hasDataset,
  loadDataset,
  missingDataset,
  splitIntents,
  type DatasetName,
  type LabelledDataset,
} from '@luneo/models/testing'
import {
  askAll,
  pick,
  post,
  reviewAll,
  share,
  spread,
  topGaps,
  type Asked,
  type Flywheel,
} from './testing/flywheel.js'
import { createKey, signup, startTestApp } from './testing/harness.js'

// The flywheel, end to end (DESIGN §7, issue 9's done-when), on BANKING77 and CLINC150-open with
// the bge-small embedder: a knowledge base of FAQ entries for two thirds of the intents; customers ask
// through the API; the pipelines must surface the missing third as the top gaps; a person accepts
// them; fresh questions of those intents (test.csv) must then be answered. Every threshold the
// engine and the gaps job use was chosen on train/val (bench/src/calibrate-grounding.ts,
// bench/src/tune-gaps.ts); this test only asks test.csv's questions and reports.
//
// "Answered" = grounded (a reply, not "I don't know"), as the issue counts it; "own entry" =
// grounded on the FAQ entry of the question's own intent, printed and held to a floor. Out of
// scope: CLINC150's oos test queries; BANKING77 has no out-of-scope set (every row is one of its 77
// intents), so it is asked CLINC150's test questions instead (assistant queries about cooking,
// travel, cars…: out of a bank's knowledge, as the calibration's "other data set" check asks them).
// "Falsely answered" = grounded at all.

interface Sizes {
  /** Failed questions per missing intent the gaps job sees (train rows after the FAQ's). */
  gapTraffic: number
  /** Test questions per known intent, before acceptance (the in-knowledge line). */
  known: number
  /** Out-of-scope test queries (evenly spread over oos_test.csv, or the other data set's test.csv). */
  outOfScope: number
  /** Fresh test questions per missing intent after acceptance (the lift line). */
  fresh: number
}

// Sample sizes keep each data set near two minutes on 2 cores. gapTraffic is the shape
// bench/src/tune-gaps.ts chose the clustering on (12 per missing intent).
const SIZES: Record<DatasetName, Sizes> = {
  banking77: { gapTraffic: 12, known: 3, outOfScope: 100, fresh: 5 },
  clinc150: { gapTraffic: 12, known: 2, outOfScope: 100, fresh: 4 },
}

/**
 * Out of scope falsely answered: issue 9's bar (0.1) where it is met, a regression floor where it
 * is not. BANKING77 (asked CLINC150's questions) meets it: 0.040. CLINC150's own out-of-scope test
 * queries do not: 0.190 on bge-small (0.210 on MiniLM before it; models/README.md § Grounding: no
 * threshold with in-knowledge ≥ 0.9 on val reaches 0.1 on the larger out-of-scope check either),
 * so 0.25 guards against a regression.
 */
const OUT_OF_SCOPE_BOUND: Record<DatasetName, number> = { banking77: 0.1, clinc150: 0.25 }

const MODEL = hasBgeSmallModel()
if (!MODEL) console.warn('flywheel tests skipped: bge-small model absent (make install fetches it)')

function flywheelOn(name: DatasetName) {
  const present = hasDataset(name)
  if (!present) console.warn(missingDataset(name, `flywheel test on ${name}`))

  describe.skipIf(!present || !MODEL)(`the flywheel on ${name}`, () => {
    let f: Flywheel
    let data: LabelledDataset
    let outOfScope: string[]
    let known: string[]
    let missing: string[]
    const size = SIZES[name]

    beforeAll(async () => {
      const t = await startTestApp()
      expect(t.deps.ai.embedder.id).toMatch(/^bge-small/)
      data = loadDataset(name)
      outOfScope =
        name === 'clinc150'
          ? data.outOfScope.test
          : hasDataset('clinc150')
            ? loadDataset('clinc150').test.map((r) => r.text)
            : []
      ;({ known, missing } = splitIntents(data.intents, Math.round(data.intents.length / 3)))
      const owner = await signup(t.app, 'ecommerce')
      f = { t, key: await createKey(t.app, owner, ['admin', 'conversations:write']), orgId: '', agent: '' }
      f.orgId = owner.organizationId
      const kb = (await post(f, '/knowledge-bases', { name: `${name} FAQ` })).json().id
      for (const intent of known) {
        const r = await post(f, `/knowledge-bases/${kb}/documents`, faqDocument(intent, data.train))
        expect(r.statusCode, r.body).toBe(201)
      }
      f.agent = (await post(f, '/agents', { name: 'FAQ bot', knowledgeBaseIds: [kb] })).json().id
    })
    afterAll(async () => f?.t.close())

    it(
      'answers what it knows, not what it does not, surfaces the missing third, and learns it',
      { timeout: 900_000 },
      async () => {
        const first = await askAll(f, [
          ...pick(data.train, missing, FAQ_PHRASINGS, size.gapTraffic),
          ...pick(data.test, known, 0, size.known),
          ...spread(outOfScope, size.outOfScope),
        ])
        await f.t.drainer.drainAll()
        const refresh = await post(f, '/analytics/refresh')
        expect(refresh.statusCode, refresh.body).toBe(200)

        const top = await topGaps(f, first, missing.length)
        const hits = top.filter((g) => missing.includes(g.intent))
        const found = new Set(hits.map((g) => g.intent))
        const precision = hits.length / Math.max(top.length, 1)
        const recall = found.size / missing.length
        await reviewAll(f, top, data.train)
        const fresh = await askAll(f, pick(data.test, missing, 0, size.fresh))

        const of = (xs: Asked[], intents: string[] | null) =>
          xs.filter((x) => (intents === null ? x.intent === null : intents.includes(x.intent ?? '')))
        const answered = share(of(first, known), (a) => a.right)
        const answeredAny = share(of(first, known), (a) => a.grounded)
        const oos = of(first, null)
        const falselyAnswered = share(oos, (a) => a.grounded)
        const before = share(of(first, missing), (a) => a.right)
        const after = share(fresh, (a) => a.right)
        const n = (xs: Asked[]) => xs.length
        console.log(
          [
            `FLYWHEEL ${name} in_knowledge_answered=${answeredAny.toFixed(3)} own_entry=${answered.toFixed(3)} (n=${n(of(first, known))}, test)`,
            oos.length
              ? `FLYWHEEL ${name} out_of_scope_falsely_answered=${falselyAnswered.toFixed(3)} (n=${n(oos)}, ${name === 'clinc150' ? 'oos test' : 'clinc150 test'})`
              : `FLYWHEEL ${name} out_of_scope: none asked (clinc150 absent)`,
            `FLYWHEEL ${name} gaps top=${top.length} precision=${precision.toFixed(3)} (${hits.length}/${top.length}) recall=${recall.toFixed(3)} (${found.size}/${missing.length})`,
            `FLYWHEEL ${name} missing_intents_answered ${before.toFixed(3)} (n=${n(of(first, missing))}, train) -> ${after.toFixed(3)} (n=${n(fresh)}, fresh test): +${((after - before) * 100).toFixed(1)} points`,
            `FLYWHEEL ${name} top gaps: ${top.map((g) => `${g.intent}${missing.includes(g.intent) ? '' : '(!)'}:${g.volume}`).join(' ')}`,
          ].join('\n'),
        )

        const bars = [
          `answered ${answeredAny.toFixed(3)} >= 0.9: ${answeredAny >= 0.9 ? 'met' : 'NOT MET'}`,
          ...(oos.length
            ? [
                `oos falsely answered ${falselyAnswered.toFixed(3)} <= 0.1: ${falselyAnswered <= 0.1 ? 'met' : 'NOT MET'}`,
              ]
            : []),
        ]
        console.log(`FLYWHEEL ${name} issue bars: ${bars.join('; ')}`)

        expect(answeredAny).toBeGreaterThanOrEqual(0.9)
        // Floors, not the issue's bars: the rank model puts the own entry first for 0.83 / 0.86 of
        // val questions (models/README.md § Grounding), so 0.9 from the own entry is out of reach of
        // any threshold today; 0.7 catches a ranking regression.
        expect(answered).toBeGreaterThan(0.7)
        if (oos.length) expect(falselyAnswered).toBeLessThanOrEqual(OUT_OF_SCOPE_BOUND[name])
        expect(precision).toBeGreaterThanOrEqual(0.8)
        expect(recall).toBeGreaterThanOrEqual(0.8)
        expect(after - before).toBeGreaterThanOrEqual(0.4)
      },
    )
  })
}

flywheelOn('banking77')
flywheelOn('clinc150')

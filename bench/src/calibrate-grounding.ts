// Placeholder grounding calibration per embedder, on banking77 TRAIN questions only (test.csv is
// never read, so the engine's banking77 test stays a held-out check). Run:
//   node --import tsx bench/src/calibrate-grounding.ts
// A knowledge base as api/src/testing/banking77.ts builds it (60 of 77 intents, one short answer
// each with its first 6 train phrasings as FAQ questions); probes are other train phrasings: of
// known intents (should be grounded on the right answer) and of the 17 held-out intents (should
// not be grounded). The index scores a probe max(cos with an answer, scale × cos with a phrasing).
// Balanced accuracy = mean of (in-knowledge probes grounded on their own intent's answer) and
// (held-out probes not grounded), over thresholds and scales in steps of 0.01. Prints the joint fit
// and the per-path pick (models/README.md § Grounding says why the pick is per path).
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  createLocalEmbedder,
  createMiniLmEmbedder,
  hasMiniLmModel,
  parseLabelledCsv,
  type Embedder,
} from '@luneo/models'

const DIR = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'banking77')
const PHRASINGS = 6
const PROBES_PER_INTENT = 60

type Row = { text: string; intent: string }

/** The engine test's split: every 77/17-th sorted intent is held out. */
function splitIntents(intents: string[], heldOut: number) {
  const sorted = [...intents].sort()
  const step = sorted.length / heldOut
  const missing = new Set(Array.from({ length: heldOut }, (_, i) => sorted[Math.floor(i * step + step / 2)]!))
  return { known: sorted.filter((i) => !missing.has(i)), missing: [...missing] }
}

const dot = (a: Float32Array, b: Float32Array) => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

async function vectors(embedder: Embedder, texts: string[]): Promise<Float32Array[]> {
  return (await embedder.embed(texts)).map((v) => Float32Array.from(v))
}

/** Per probe: best answer cosine and best phrasing cosine, each with the intent it points at. */
async function probeScores(embedder: Embedder, train: Row[]) {
  const intents = [...new Set(train.map((r) => r.intent))]
  const { known, missing } = splitIntents(intents, 17)
  const of = (intent: string) => train.filter((r) => r.intent === intent)
  const answers = known.map((i) => {
    const topic = i.replaceAll('_', ' ')
    const title = topic.charAt(0).toUpperCase() + topic.slice(1)
    return `${title}\nFor ${topic}, open the app, go to Help, choose ${topic} and follow the steps shown. Our team confirms within one business day.`
  })
  const phrasings = known.flatMap((i) =>
    of(i)
      .slice(0, PHRASINGS)
      .map((r) => ({ ...r })),
  )
  const probesIn = known.flatMap((i) => of(i).slice(PHRASINGS, PHRASINGS + PROBES_PER_INTENT))
  const probesOut = missing.flatMap((i) => of(i).slice(0, PROBES_PER_INTENT))
  const av = await vectors(embedder, answers)
  const pv = await vectors(
    embedder,
    phrasings.map((r) => r.text),
  )
  const probes = [...probesIn, ...probesOut]
  const qv = await vectors(
    embedder,
    probes.map((r) => r.text),
  )
  return qv.map((q, k) => {
    let chunk = { score: -1, intent: '' }
    av.forEach((a, j) => {
      const s = dot(q, a)
      if (s > chunk.score) chunk = { score: s, intent: known[j]! }
    })
    let phrase = { score: -1, intent: '' }
    pv.forEach((p, j) => {
      const s = dot(q, p)
      if (s > phrase.score) phrase = { score: s, intent: phrasings[j]!.intent }
    })
    return { known: k < probesIn.length, intent: probes[k]!.intent, chunk, phrase }
  })
}

/** Balanced accuracy of (threshold, scale): in-knowledge probes grounded on the right intent, the others not. */
function evaluate(scores: Awaited<ReturnType<typeof probeScores>>, threshold: number, scale: number) {
  let inOk = 0
  let inN = 0
  let outOk = 0
  let outN = 0
  for (const p of scores) {
    const top =
      p.chunk.score >= scale * p.phrase.score ? p.chunk : { ...p.phrase, score: scale * p.phrase.score }
    const grounded = top.score >= threshold
    if (p.known) {
      inN += 1
      if (grounded && top.intent === p.intent) inOk += 1
    } else {
      outN += 1
      if (!grounded) outOk += 1
    }
  }
  const [pi, po] = [inOk / inN, outOk / outN]
  const se = Math.sqrt((pi * (1 - pi)) / inN + (po * (1 - po)) / outN) / 2
  return { inRate: pi, outRate: po, balanced: (pi + po) / 2, se }
}

type Fit = { t: number; scale: number } & ReturnType<typeof evaluate>

const fmt = (r: Fit) =>
  `threshold=${r.t.toFixed(2)} scale=${r.scale.toFixed(3)} in_kb_grounded_right=${r.inRate.toFixed(3)} out_of_kb_unanswered=${r.outRate.toFixed(3)} balanced=${r.balanced.toFixed(3)}`

const steps = (from: number, to: number) =>
  Array.from({ length: Math.round((to - from) * 100) + 1 }, (_, i) => from + i / 100)

/** Best first; ties broken towards the lower threshold. */
const ranked = (fits: Fit[]) => [...fits].sort((a, b) => b.balanced - a.balanced || a.t - b.t)

async function calibrate(embedder: Embedder, train: Row[]): Promise<void> {
  const scores = await probeScores(embedder, train)
  const fit = (t: number, scale: number, s = scores): Fit => ({ t, scale, ...evaluate(s, t, scale) })
  console.log(`CALIBRATE ${embedder.id} probes=${scores.length}`)
  console.log(`  carried   ${fmt(fit(embedder.grounding.threshold, embedder.grounding.questionScale))}`)

  // 1. Joint fit of (threshold, scale) on the index's own scoring.
  const joint = ranked(steps(0.5, 1).flatMap((scale) => steps(0.15, 0.9).map((t) => fit(t, scale))))
  const best = joint[0]!
  console.log(`  joint     ${fmt(best)} (se ${best.se.toFixed(3)})`)
  console.log(`  joint, lowest threshold within one SE: ${fmt(lowestWithinOneSe(joint))}`)

  // 2. Per path (the pick). The joint fit leans on the phrasings and pushes the answer threshold up
  // to silence this knowledge base's answers, which are one template with only the topic changed
  // (a real knowledge base's answers differ in substance). So: the answer threshold from the answer
  // texts alone, and the scale that keeps the phrasing path's effective threshold (t / scale) where
  // the joint fit put it. Both fits are flat, so each takes the lowest threshold within one standard
  // error of its best (the one-SE rule, leaning towards answering: a miss hands the customer to a
  // person, but a question the knowledge answers should not be one).
  const noPhrasings = scores.map((p) => ({ ...p, phrase: { score: -1, intent: '' } }))
  const answerFits = ranked(steps(0.15, 0.9).map((t) => fit(t, 1, noPhrasings)))
  const answersBest = answerFits[0]!
  const answers = lowestWithinOneSe(answerFits)
  const jointLow = lowestWithinOneSe(joint)
  const phrasingThreshold = jointLow.t / jointLow.scale
  console.log(`  answers only, best ${fmt(answersBest)} (se ${answersBest.se.toFixed(3)})`)
  console.log(`  answers only, lowest threshold within one SE: ${fmt(answers)}`)
  console.log(`  phrasing path threshold (joint, lowest within one SE): ${phrasingThreshold.toFixed(3)}`)
  const pick = fit(answers.t, Math.round((answers.t / phrasingThreshold) * 1000) / 1000)
  console.log(`  PICK ${fmt(pick)}`)
}

/** The one-SE rule: of the fits within one standard error of the best, the lowest threshold. */
function lowestWithinOneSe(fits: Fit[]): Fit {
  const best = fits[0]!
  return fits.filter((f) => f.balanced >= best.balanced - best.se).sort((a, b) => a.t - b.t)[0]!
}

if (!existsSync(join(DIR, 'train.csv'))) {
  console.error(`banking77 not found at ${DIR}`)
  process.exit(1)
}
const train = parseLabelledCsv(readFileSync(join(DIR, 'train.csv'), 'utf8'))
await calibrate(createLocalEmbedder(), train)
if (hasMiniLmModel()) {
  const minilm = await createMiniLmEmbedder()
  await calibrate(minilm, train)
  await minilm.close?.()
} else console.error('MiniLM model absent (make install): calibrated the hashing embedder only')

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseLabelledCsv } from '@luneo/models'
import { DATASETS_DIR } from '@luneo/models/testing'

/** ../shared/datasets/banking77 beside the repo (read in place, never copied). */
export const BANKING77_DIR = join(DATASETS_DIR, 'banking77')
export const hasBanking77 = existsSync(join(BANKING77_DIR, 'train.csv'))

export interface Banking77 {
  intents: string[]
  train: { text: string; intent: string }[]
  test: { text: string; intent: string }[]
}

export function loadBanking77(): Banking77 {
  const intents = JSON.parse(readFileSync(join(BANKING77_DIR, 'categories.json'), 'utf8')) as string[]
  const train = parseLabelledCsv(readFileSync(join(BANKING77_DIR, 'train.csv'), 'utf8'))
  const test = parseLabelledCsv(readFileSync(join(BANKING77_DIR, 'test.csv'), 'utf8'))
  return { intents, train, test }
}

export { splitIntents } from '@luneo/models/testing'

/**
 * One FAQ entry per intent: a short answer, and six real customer phrasings (from train.csv) as
 * the questions it answers — what a support team writes into an FAQ.
 */
export function faqDocument(
  intent: string,
  train: { text: string; intent: string }[],
): { title: string; text: string; questions: string[] } {
  const topic = intent.replaceAll('_', ' ')
  const questions = train
    .filter((r) => r.intent === intent)
    .slice(0, 6)
    .map((r) => r.text)
  return {
    title: topic.charAt(0).toUpperCase() + topic.slice(1),
    text: `For ${topic}, open the app, go to Help, choose ${topic} and follow the steps shown. Our team confirms within one business day.`,
    questions,
  }
}

/** A deterministic sample of `perIntent` questions per intent. */
export function sample(rows: { text: string; intent: string }[], intents: string[], perIntent: number) {
  return intents.flatMap((intent) => rows.filter((r) => r.intent === intent).slice(0, perIntent))
}

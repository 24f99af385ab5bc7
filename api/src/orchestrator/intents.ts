import { intentCorrections, intentCorrectionsStamp, type Db } from '@luneo/warehouse'
import {
  templateExamples,
  trainIntentClassifier,
  type IntentClassifier,
  type VerticalTemplate,
} from '@luneo/models'

/**
 * One classifier per (organization, vertical), trained from the template's example phrasings
 * plus the organization's accepted corrections, retrained when the corrections change.
 * Training on a template (~70 examples) takes a few milliseconds.
 */
export function createIntentCache(db: Db) {
  const cache = new Map<string, { stamp: string; classifier: IntentClassifier }>()
  return async function classifierFor(
    organizationId: string,
    template: VerticalTemplate,
  ): Promise<IntentClassifier> {
    const stamp = await intentCorrectionsStamp(db, organizationId, template.id)
    const key = `${organizationId}:${template.id}:${template.version}`
    const hit = cache.get(key)
    if (hit && hit.stamp === stamp) return hit.classifier
    const corrections = stamp.startsWith('0:') ? [] : await intentCorrections(db, organizationId, template.id)
    const classifier = trainIntentClassifier([...templateExamples(template), ...corrections], {
      calibrate: false,
    })
    cache.set(key, { stamp, classifier })
    return classifier
  }
}

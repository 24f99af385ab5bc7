import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { getTemplate, listTemplates, loadTemplates, parseTemplate } from './templates.js'
import { trainIntentClassifier } from '../intents/intent-classifier.js'

const verticalsDir = fileURLToPath(new URL('./verticals/', import.meta.url))

describe('vertical templates', () => {
  it('loads and validates every bundled vertical', () => {
    const ids = listTemplates().map((t) => t.id)
    expect(ids).toEqual(['accounting', 'ecommerce', 'medical', 'real_estate'])
  })

  for (const t of listTemplates()) {
    it(`${t.id}: rich content, handoff intent, consistent actions`, () => {
      expect(t.intents.length).toBeGreaterThanOrEqual(8)
      for (const i of t.intents) expect(i.examples.length).toBeGreaterThanOrEqual(6)
      expect(t.intents.some((i) => i.name === 'human_handoff' && i.action === 'handoff')).toBe(true)
      expect(t.actions).toContain('handoff')
      expect(t.defaultKnowledge.length).toBeGreaterThan(0)
      expect(t.requiresCompliance).toBe(t.id === 'medical')
      expect(t.escalation.minutesHumanPerConversation).toBeGreaterThan(0)
    })
  }

  it('has the actions each vertical is allowed', () => {
    expect(getTemplate('ecommerce').actions).toEqual([
      'order_status',
      'product_search',
      'capture_lead',
      'handoff',
    ])
    expect(getTemplate('real_estate').actions).toEqual([
      'book_viewing',
      'capture_lead',
      'schedule_call',
      'handoff',
    ])
    expect(getTemplate('accounting').actions).toEqual([
      'schedule_call',
      'capture_lead',
      'document_checklist',
      'handoff',
    ])
    expect(() => getTemplate('plumbing')).toThrow(/unknown vertical/)
  })

  it('template examples train a usable intent classifier', () => {
    const t = getTemplate('ecommerce')
    const clf = trainIntentClassifier(
      t.intents.flatMap((i) => i.examples.map((text) => ({ text, intent: i.name }))),
      { features: { minDf: 1 } },
    )
    expect(clf.predict('where is my parcel, it never arrived').intent).toBe('order_status')
    expect(clf.predict('I need to speak with a real human').intent).toBe('human_handoff')
  })

  it('rejects invalid templates with a readable error', () => {
    const src = readFileSync(path.join(verticalsDir, 'ecommerce.yaml'), 'utf8')
    expect(() =>
      parseTemplate(src.replace('- name: human_handoff', '- name: talk_to_person'), 'x.yaml'),
    ).toThrow(/human_handoff/)
    expect(() => parseTemplate('id: Bad Id\nversion: 1', 'y.yaml')).toThrow(
      /invalid vertical template y.yaml/,
    )
  })

  it('adding a vertical is adding a file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'verticals-'))
    const src = readFileSync(path.join(verticalsDir, 'ecommerce.yaml'), 'utf8')
    writeFileSync(path.join(dir, 'a.yaml'), src)
    writeFileSync(path.join(dir, 'b.yaml'), src.replace('id: ecommerce', 'id: fashion'))
    expect([...loadTemplates(dir).keys()]).toEqual(['ecommerce', 'fashion'])
    writeFileSync(path.join(dir, 'c.yaml'), src)
    expect(() => loadTemplates(dir)).toThrow(/duplicate/)
  })
})

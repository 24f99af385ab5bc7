import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { parse } from 'yaml'
import { VerticalTemplate } from './schema.js'

const DEFAULT_DIR = fileURLToPath(new URL('./verticals/', import.meta.url))

/** Parse and validate one template's YAML; the error names the source for quick fixing. */
export function parseTemplate(yamlText: string, source = 'template'): VerticalTemplate {
  const result = VerticalTemplate.safeParse(parse(yamlText))
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`invalid vertical template ${source}: ${issues}`)
  }
  return result.data
}

/** Read every `*.yaml` in the folder: adding a vertical is adding a file. */
export function loadTemplates(dir: string = DEFAULT_DIR): Map<string, VerticalTemplate> {
  const templates = new Map<string, VerticalTemplate>()
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
  for (const file of files) {
    const t = parseTemplate(readFileSync(path.join(dir, file), 'utf8'), file)
    if (templates.has(t.id)) throw new Error(`duplicate vertical template id "${t.id}" in ${file}`)
    templates.set(t.id, t)
  }
  return templates
}

// Templates are immutable data shipped with the package; reading them once is safe to cache.
let cache: Map<string, VerticalTemplate> | undefined
const bundled = (): Map<string, VerticalTemplate> => (cache ??= loadTemplates())

/** All bundled vertical templates, sorted by id. */
export function listTemplates(): VerticalTemplate[] {
  return [...bundled().values()]
}

/** One bundled template by id; throws for an unknown vertical. */
export function getTemplate(id: string): VerticalTemplate {
  const t = bundled().get(id)
  if (!t) throw new Error(`unknown vertical template "${id}" (known: ${[...bundled().keys()].join(', ')})`)
  return t
}

/** A template's intent example phrasings as labelled training data for the intent classifier. */
export function templateExamples(template: VerticalTemplate): { text: string; intent: string }[] {
  return template.intents.flatMap((i) => i.examples.map((text) => ({ text, intent: i.name })))
}

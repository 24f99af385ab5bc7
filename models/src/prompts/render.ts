export type PromptVars = Record<string, string | number | boolean>

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g

/** Names of the `{{var}}` placeholders a template uses, in order of first use. */
export function promptVariables(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))]
}

/** Fill `{{var}}` placeholders; a missing variable is an error, never an empty hole in a prompt. */
export function renderPrompt(template: string, vars: PromptVars): string {
  const missing = promptVariables(template).filter((v) => !Object.hasOwn(vars, v))
  if (missing.length > 0) throw new Error(`renderPrompt: missing variable(s) ${missing.join(', ')}`)
  return template.replace(PLACEHOLDER, (_, name: string) => String(vars[name]))
}

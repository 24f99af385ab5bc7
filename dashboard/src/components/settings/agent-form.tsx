'use client'
// One form for a new agent and for editing one: name, prompt version, knowledge bases, settings.
// It sends only what the API's NewAgent / AgentPatch accept; the API validates (zod) and its
// problem `detail` is shown as written.
import { useState, type FormEvent } from 'react'
import { ErrorNote } from '@/components/states'
import type { ApiError, Schemas } from '@/lib/api'

type Agent = Schemas['Agent']
export type AgentFields = Schemas['AgentPatch'] & { name: string }

const input = 'rounded border border-gray-300 px-2 py-1 font-normal'

/** Settings the user left empty are not sent: the API keeps the template's defaults for them. */
function settingsOf(language: string, greeting: string, model: string): Agent['settings'] {
  const s: Agent['settings'] = {}
  if (language.trim()) s.language = language.trim()
  if (greeting.trim()) s.greeting = greeting.trim()
  if (model.trim()) s.model = model.trim()
  return s
}

export function AgentForm(p: {
  agent?: Agent
  knowledgeBases: Schemas['KnowledgeBase'][]
  prompts: Schemas['PromptVersion'][]
  submit: string
  busy: boolean
  error: ApiError | undefined
  onSubmit: (fields: AgentFields) => void
  onCancel?: () => void
}) {
  const a = p.agent
  const [name, setName] = useState(a?.name ?? '')
  const [prompt, setPrompt] = useState(a?.promptVersionId ?? '')
  const [kbs, setKbs] = useState<string[]>(a?.knowledgeBaseIds ?? [])
  const [language, setLanguage] = useState(a?.settings.language ?? '')
  const [greeting, setGreeting] = useState(a?.settings.greeting ?? '')
  const [model, setModel] = useState(a?.settings.model ?? '')
  const id = a?.id ?? 'new'

  function submit(e: FormEvent) {
    e.preventDefault()
    p.onSubmit({
      name,
      promptVersionId: prompt || null,
      knowledgeBaseIds: kbs,
      settings: settingsOf(language, greeting, model),
    })
  }
  const toggle = (kb: string) => setKbs((s) => (s.includes(kb) ? s.filter((x) => x !== kb) : [...s, kb]))

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" data-testid={`agent-form-${id}`}>
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="flex flex-col gap-1 text-sm font-medium">
          Name
          <input
            required
            maxLength={120}
            value={name}
            onChange={(e) => setName(e.target.value)}
            className={input}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Prompt version
          <select value={prompt} onChange={(e) => setPrompt(e.target.value)} className={input}>
            <option value="">The vertical template’s prompt</option>
            {p.prompts.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name} (v{v.version})
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Language
          <input
            value={language}
            onChange={(e) => setLanguage(e.target.value)}
            placeholder="e.g. en, fr"
            maxLength={10}
            className={input}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Model
          <input
            value={model}
            onChange={(e) => setModel(e.target.value)}
            placeholder="the platform’s default"
            maxLength={100}
            className={input}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium sm:col-span-2">
          Greeting
          <input
            value={greeting}
            onChange={(e) => setGreeting(e.target.value)}
            maxLength={500}
            className={input}
          />
        </label>
      </div>
      <fieldset className="flex flex-col gap-1 text-sm">
        <legend className="font-medium">Knowledge bases</legend>
        {a ? null : (
          <p className="text-gray-700">
            None ticked: the API gives the new agent a starter knowledge base from the vertical template.
          </p>
        )}
        {p.knowledgeBases.length === 0 ? (
          <p className="text-gray-700">This organization has no knowledge base yet.</p>
        ) : (
          p.knowledgeBases.map((kb) => (
            <label key={kb.id} className="flex items-center gap-2">
              <input type="checkbox" checked={kbs.includes(kb.id)} onChange={() => toggle(kb.id)} />
              {kb.name}
            </label>
          ))
        )}
      </fieldset>
      {p.error ? <ErrorNote error={p.error} /> : null}
      <div className="flex gap-3">
        <button
          disabled={p.busy}
          className="rounded bg-blue-700 px-3 py-2 text-sm font-medium text-white disabled:opacity-60"
        >
          {p.busy ? 'Saving…' : p.submit}
        </button>
        {p.onCancel ? (
          <button
            type="button"
            onClick={p.onCancel}
            className="rounded border border-gray-300 px-3 py-2 text-sm"
          >
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  )
}

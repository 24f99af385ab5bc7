'use client'
import { useState } from 'react'
import { AgentForm, type AgentFields } from '@/components/settings/agent-form'
import { ReadOnly } from '@/components/settings/read-only'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { allPages } from '@/lib/all-pages'
import { api, succeeded, unwrap, type Schemas } from '@/lib/api'
import { fmtDateTime } from '@/lib/format'
import { NEEDS } from '@/lib/roles'
import { useAtLeast, useMe } from '@/lib/session'
import { useApi } from '@/lib/use-api'
import { useWrite } from '@/lib/use-write'

type Agent = Schemas['Agent']
interface Data {
  agents: Agent[]
  knowledgeBases: Schemas['KnowledgeBase'][]
  prompts: Schemas['PromptVersion'][]
}

async function loadAll(): Promise<Data> {
  const query = (cursor: string | undefined) => ({ params: { query: { limit: 200, cursor } } })
  const [agents, knowledgeBases, prompts] = await Promise.all([
    allPages((c) => api.GET('/api/v1/agents', query(c)).then(unwrap)),
    allPages((c) => api.GET('/api/v1/knowledge-bases', query(c)).then(unwrap)),
    allPages((c) => api.GET('/api/v1/prompt-versions', query(c)).then(unwrap)),
  ])
  return { agents, knowledgeBases, prompts }
}

/** Settings worth a glance in the list; the rest is in the edit form. */
function settingsText(s: Agent['settings']): string {
  const parts = [
    s.language && `language ${s.language}`,
    s.model && `model ${s.model}`,
    s.greeting && `greeting “${s.greeting}”`,
  ]
  return parts.filter(Boolean).join(' · ') || 'template defaults'
}

function AgentRow({ agent, data, onChanged }: { agent: Agent; data: Data; onChanged: () => void }) {
  const mayWrite = useAtLeast(NEEDS.writeAgents)
  const [editing, setEditing] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const save = useWrite()
  const remove = useWrite()
  const params = { path: { id: agent.id } }
  const prompt = data.prompts.find((p) => p.id === agent.promptVersionId)
  const kbNames = agent.knowledgeBaseIds.map((id) => data.knowledgeBases.find((k) => k.id === id)?.name ?? id)

  async function update(body: AgentFields) {
    if (await save.run(async () => unwrap(await api.PATCH('/api/v1/agents/{id}', { params, body })))) {
      setEditing(false)
      onChanged()
    }
  }
  async function destroy() {
    if (await remove.run(async () => succeeded(await api.DELETE('/api/v1/agents/{id}', { params }))))
      onChanged()
  }

  return (
    <li
      data-testid="agent"
      data-id={agent.id}
      className="flex flex-col gap-2 rounded border border-gray-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-base font-semibold" data-testid="agent-name">
          {agent.name}
        </h3>
        <span className="text-xs text-gray-700">updated {fmtDateTime(agent.updatedAt)}</span>
      </div>
      <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="text-gray-700">Template</dt>
        <dd>
          {agent.vertical}, version {agent.templateVersion}
        </dd>
        <dt className="text-gray-700">Prompt version</dt>
        <dd data-testid="agent-prompt">
          {prompt ? `${prompt.name} (v${prompt.version})` : 'the template’s prompt'}
        </dd>
        <dt className="text-gray-700">Knowledge bases</dt>
        <dd data-testid="agent-kbs">{kbNames.length ? kbNames.join(', ') : 'none'}</dd>
        <dt className="text-gray-700">Settings</dt>
        <dd data-testid="agent-settings">{settingsText(agent.settings)}</dd>
      </dl>
      {mayWrite && editing ? (
        <AgentForm
          agent={agent}
          knowledgeBases={data.knowledgeBases}
          prompts={data.prompts}
          submit="Save agent"
          busy={save.busy}
          error={save.error}
          onSubmit={update}
          onCancel={() => setEditing(false)}
        />
      ) : null}
      {mayWrite && !editing ? (
        <div className="flex flex-wrap items-center gap-3">
          <button
            onClick={() => setEditing(true)}
            className="rounded border border-gray-300 px-3 py-1 text-sm"
          >
            Edit <span className="sr-only">{agent.name}</span>
          </button>
          {confirming ? (
            <>
              <button
                onClick={destroy}
                disabled={remove.busy}
                className="rounded bg-rose-700 px-3 py-1 text-sm font-medium text-white disabled:opacity-60"
              >
                Delete {agent.name} for good
              </button>
              <button
                onClick={() => setConfirming(false)}
                className="rounded border border-gray-300 px-3 py-1 text-sm"
              >
                Keep it
              </button>
            </>
          ) : (
            <button
              onClick={() => setConfirming(true)}
              className="rounded border border-rose-300 px-3 py-1 text-sm text-rose-800"
            >
              Delete <span className="sr-only">{agent.name}</span>
            </button>
          )}
        </div>
      ) : null}
      {remove.error ? <ErrorNote error={remove.error} /> : null}
    </li>
  )
}

function NewAgent({ data, onCreated }: { data: Data; onCreated: () => void }) {
  const create = useWrite()
  const [key, setKey] = useState(0)
  async function submit(f: AgentFields) {
    const body: Schemas['NewAgent'] = {
      name: f.name,
      settings: f.settings,
      ...(f.promptVersionId ? { promptVersionId: f.promptVersionId } : {}),
      // None ticked: omitted, so the API seeds the template's starter knowledge base.
      ...(f.knowledgeBaseIds?.length ? { knowledgeBaseIds: f.knowledgeBaseIds } : {}),
    }
    if (await create.run(async () => unwrap(await api.POST('/api/v1/agents', { body })))) {
      setKey((k) => k + 1) // a fresh, empty form
      onCreated()
    }
  }
  return (
    <section
      aria-labelledby="new-agent"
      className="flex flex-col gap-3 rounded border border-gray-200 bg-white p-4"
    >
      <h2 id="new-agent" className="text-lg font-semibold">
        New agent
      </h2>
      <AgentForm
        key={key}
        knowledgeBases={data.knowledgeBases}
        prompts={data.prompts}
        submit="Create agent"
        busy={create.busy}
        error={create.error}
        onSubmit={submit}
      />
    </section>
  )
}

/** Agents: list, create, edit (name, prompt version, knowledge bases, settings), delete. */
export default function AgentsSettings() {
  const me = useMe()
  const mayWrite = useAtLeast(NEEDS.writeAgents)
  const [version, setVersion] = useState(0)
  const loaded = useApi(`agents:${version}`, loadAll)
  const reload = () => setVersion((v) => v + 1)
  return (
    <>
      <h2 className="text-lg font-semibold">Agents</h2>
      {mayWrite ? null : (
        <ReadOnly what="creating, editing or deleting an agent" needs={NEEDS.writeAgents} role={me.role} />
      )}
      {loaded.state === 'loading' ? <Loading what="the agents" /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} /> : null}
      {loaded.state === 'ok' ? (
        <>
          {loaded.data.agents.length === 0 ? (
            <Empty>No agent yet{mayWrite ? ': create the first one below.' : '.'}</Empty>
          ) : (
            <ul className="flex flex-col gap-3" data-testid="agents">
              {loaded.data.agents.map((a) => (
                <AgentRow key={a.id} agent={a} data={loaded.data} onChanged={reload} />
              ))}
            </ul>
          )}
          {mayWrite ? <NewAgent data={loaded.data} onCreated={reload} /> : null}
        </>
      ) : null}
    </>
  )
}

'use client'
// A live conversation with an agent, through the same API a customer's channel uses: each reply
// with the documents it was drawn from, or a plain note that it had none to go on.
import { useState, type FormEvent } from 'react'
import { api, ApiError, unwrap, type Schemas } from '@/lib/api'
import { ErrorNote } from './states'

type Reply = Schemas['Reply']

/** The best-ranked document first (the one the reply drew on), then the others retrieval read. */
function Sources({ titles }: { titles: string[] }) {
  const [first, ...rest] = titles
  return (
    <p className="mt-1 text-xs text-gray-700" data-testid="reply-sources">
      Source: <span className="font-semibold">{first}</span>
      {rest.length > 0 ? ` · also read: ${rest.join(', ')}` : ''}
    </p>
  )
}

export function TestConversation({ agentId }: { agentId: string }) {
  const [conversationId, setConversationId] = useState<string>()
  const [turns, setTurns] = useState<{ question: string; reply: Reply }[]>([])
  const [question, setQuestion] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError>()
  async function ask(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const id =
        conversationId ??
        unwrap(await api.POST('/api/v1/conversations', { body: { agentId, channel: 'api' } })).id
      setConversationId(id)
      const reply = unwrap(
        await api.POST('/api/v1/conversations/{id}/messages', {
          params: { path: { id } },
          body: { text: question },
        }),
      )
      setTurns((t) => [...t, { question, reply }])
      setQuestion('')
    } catch (err) {
      setError(
        err instanceof ApiError
          ? err
          : new ApiError(0, 'unavailable', 'The dashboard could not reach the API'),
      )
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="flex flex-col gap-3" aria-label="Test conversation">
      {turns.length === 0 ? (
        <p className="text-sm text-gray-700">
          Ask what your customers ask; the agent answers from your knowledge.
        </p>
      ) : (
        <ol className="flex flex-col gap-3" data-testid="turns">
          {turns.map((t) => (
            <li key={t.reply.replyId} className="flex flex-col gap-1">
              <p className="self-end rounded bg-blue-50 px-3 py-2 text-blue-950">{t.question}</p>
              <div className="rounded border border-gray-200 bg-white px-3 py-2" data-testid="reply">
                <p className="whitespace-pre-wrap" data-testid="reply-text">
                  {t.reply.reply}
                </p>
                {t.reply.grounded && t.reply.sources.length > 0 ? (
                  <Sources titles={[...new Set(t.reply.sources.map((s) => s.title))]} />
                ) : (
                  <p className="mt-1 text-xs text-amber-900" data-testid="reply-ungrounded">
                    Not from your knowledge{t.reply.escalated ? '; handed to a person' : ''}: add the answer
                    so the agent can give it.
                  </p>
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={ask} className="flex flex-wrap gap-2">
        <label className="flex grow flex-col gap-1 text-sm font-medium text-gray-800">
          Your question, as a customer
          <input
            name="question"
            value={question}
            onChange={(e) => setQuestion(e.target.value)}
            required
            maxLength={4000}
            className="rounded border border-gray-300 px-3 py-2 font-normal"
          />
        </label>
        <button
          disabled={busy || !question.trim()}
          className="self-end rounded bg-blue-700 px-3 py-2 text-sm font-medium text-white disabled:opacity-60"
        >
          {busy ? 'Waiting for the reply…' : 'Send'}
        </button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
    </section>
  )
}

'use client'
import Link from 'next/link'
import { useState } from 'react'
import { useParams } from 'next/navigation'
import { EraseContact } from '@/components/erase-contact'
import { ReplyDetail } from '@/components/reply-detail'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { api, unwrap } from '@/lib/api'
import { fmtDateTime } from '@/lib/format'
import { NEEDS, atLeast } from '@/lib/roles'
import { RoleGate, useMe } from '@/lib/session'
import { useApi } from '@/lib/use-api'

const WHO = { customer: 'Customer', agent: 'AI agent', human: 'Human agent', system: 'System' } as const

function Transcript({ id }: { id: string }) {
  const me = useMe()
  const [erased, setErased] = useState(false)
  const conv = useApi(id, () => loadConversation(id))
  if (conv.state === 'loading') return <Loading what="the transcript" />
  if (conv.state === 'error') return <ErrorNote error={conv.error} />
  const c = conv.data
  // Erased: what was on screen no longer exists anywhere; only the erasure's outcome stays (the
  // eraser keeps its place in the tree, so its state survives the transcript going).
  return (
    <article className="flex flex-col gap-4">
      {erased ? null : <Messages c={c} />}
      {c.contact && atLeast(me.role, NEEDS.eraseContacts) ? (
        <EraseContact contact={c.contact} onDone={() => setErased(true)} />
      ) : null}
    </article>
  )
}

type Conversation = Awaited<ReturnType<typeof loadConversation>>

const loadConversation = async (id: string) =>
  unwrap(await api.GET('/api/v1/conversations/{id}', { params: { path: { id } } }))

function Messages({ c }: { c: Conversation }) {
  return (
    <>
      <p className="text-sm text-gray-700">
        {c.channel} · {c.status.replace('_', ' ')} · started {fmtDateTime(c.createdAt)}
        {c.contact ? ` · ${c.contact.email ?? c.contact.id}` : ''}
      </p>
      {c.messages.length === 0 ? <Empty>This conversation has no messages.</Empty> : null}
      <ol className="flex flex-col gap-3" data-testid="transcript">
        {c.messages.map((m) => (
          <li
            key={m.id}
            data-testid={`message-${m.role}`}
            className={`rounded border p-3 ${m.role === 'customer' ? 'border-gray-200 bg-white' : 'border-blue-100 bg-blue-50'}`}
          >
            <p className="text-xs font-medium text-gray-700">
              {WHO[m.role]} · {fmtDateTime(m.createdAt)}
            </p>
            <p className="whitespace-pre-wrap">{m.text}</p>
            {m.reply ? <ReplyDetail reply={m.reply} /> : null}
          </li>
        ))}
      </ol>
    </>
  )
}

export default function Page() {
  const { id } = useParams<{ id: string }>()
  return (
    <RoleGate min="viewer">
      <div className="flex flex-col gap-4">
        <Link href="/conversations" className="text-sm text-blue-800 underline">
          ← Back to the report
        </Link>
        <h1 className="text-2xl font-semibold">Transcript</h1>
        <Transcript id={id} />
      </div>
    </RoleGate>
  )
}

'use client'
// The <script> tag a site pastes to show the chat widget for one widget key, with its allowed
// origins beside it (a page on any other origin is refused by the API).
import { useState } from 'react'
import { useApi } from '@/lib/use-api'
import { ApiError } from '@/lib/api'
import { snippetOf } from '@/lib/widget'
import { ErrorNote, Loading } from './states'

export function WidgetSnippet({
  publicKey,
  allowedOrigins,
}: {
  publicKey: string
  allowedOrigins: string[]
}) {
  const url = useApi('widget-script-url', async () => {
    const r = await fetch('/widget-script-url')
    if (!r.ok)
      throw new ApiError(r.status, 'unavailable', 'The dashboard could not say where widget.js lives')
    return ((await r.json()) as { scriptUrl: string }).scriptUrl
  })
  const [copied, setCopied] = useState(false)
  if (url.state === 'loading') return <Loading what="the snippet" />
  if (url.state === 'error') return <ErrorNote error={url.error} />
  const snippet = snippetOf(url.data, publicKey)
  async function copy() {
    await navigator.clipboard?.writeText(snippet).catch(() => undefined)
    setCopied(true)
  }
  return (
    <div className="flex flex-col gap-2" data-testid="widget-snippet">
      <p className="text-sm text-gray-700">
        Paste this before <code>&lt;/body&gt;</code> on pages of{' '}
        {allowedOrigins.map((o, i) => (
          <span key={o}>
            {i > 0 ? ', ' : ''}
            <code data-testid="allowed-origin">{o}</code>
          </span>
        ))}
        :
      </p>
      {/* Focusable: a narrow screen scrolls it sideways, and a keyboard must reach that too. */}
      <pre
        tabIndex={0}
        aria-label="Widget snippet"
        className="overflow-x-auto rounded bg-gray-900 p-3 text-sm text-gray-50"
        data-testid="snippet-code"
      >
        <code>{snippet}</code>
      </pre>
      <div>
        <button
          type="button"
          onClick={copy}
          className="rounded border border-gray-300 px-2 py-1 text-sm hover:bg-gray-100"
        >
          {copied ? 'Copied' : 'Copy snippet'}
        </button>
      </div>
    </div>
  )
}

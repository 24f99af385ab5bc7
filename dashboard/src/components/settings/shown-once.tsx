'use client'
// A secret the API returns once (an API key, a webhook signing secret, an invitation token): it
// is stored only as a hash, so this panel is the one chance to copy it.
import { useState } from 'react'

export function ShownOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed'>()
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret)
      setCopied('yes')
    } catch {
      // No clipboard permission (an insecure origin, a browser policy): the text stays selectable.
      setCopied('failed')
    }
  }
  return (
    <section
      aria-label={label}
      data-testid="shown-once"
      className="flex flex-col gap-2 rounded border border-emerald-300 bg-emerald-50 p-4"
    >
      <p className="font-medium text-emerald-950">{label}: copy it now, it will not be shown again.</p>
      <code data-testid="secret" className="select-all break-all rounded bg-white p-2 text-sm text-gray-900">
        {secret}
      </code>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={copy}
          className="rounded bg-emerald-800 px-3 py-1 text-sm font-medium text-white"
        >
          Copy
        </button>
        <button type="button" onClick={onDone} className="rounded border border-gray-400 px-3 py-1 text-sm">
          I have copied it
        </button>
        <span role="status" className="text-sm text-emerald-950">
          {copied === 'yes' ? 'Copied to the clipboard.' : null}
          {copied === 'failed' ? 'The clipboard is not available here: select the text and copy it.' : null}
        </span>
      </div>
    </section>
  )
}

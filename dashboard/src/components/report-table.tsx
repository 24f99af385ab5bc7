'use client'
import Link from 'next/link'
import type { Schemas } from '@/lib/api'
import { fmtDateTime, fmtMoney } from '@/lib/format'

type Row = Schemas['ResolvedConversation']

const outcome = (r: Row) =>
  r.handedOff ? `handed off${r.handoffReason ? ` (${r.handoffReason})` : ''}` : r.status.replace('_', ' ')

export function ReportTable({ rows, agentName }: { rows: Row[]; agentName: (id: string) => string }) {
  return (
    <div className="overflow-x-auto rounded border border-gray-200 bg-white">
      <table className="min-w-full text-left text-sm" data-testid="report">
        <thead className="bg-gray-100 text-gray-800">
          <tr>
            {[
              'Started',
              'Agent',
              'Channel',
              'Intent',
              'Outcome',
              'AI-resolved',
              'CSAT',
              'Replies',
              'Cost (USD)',
              '',
            ].map((h) => (
              <th key={h || 'open'} scope="col" className="px-3 py-2 font-medium">
                {h || <span className="sr-only">Transcript</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.conversationId} data-id={r.conversationId} className="border-t border-gray-100">
              <td className="px-3 py-2 whitespace-nowrap">{fmtDateTime(r.startedAt)}</td>
              <td className="px-3 py-2">{agentName(r.agentId)}</td>
              <td className="px-3 py-2">{r.channel}</td>
              <td className="px-3 py-2">{r.intent}</td>
              <td className="px-3 py-2">{outcome(r)}</td>
              <td className="px-3 py-2">{r.resolved ? 'yes' : 'no'}</td>
              <td className="px-3 py-2">{r.csat ?? '—'}</td>
              <td className="px-3 py-2">{r.replies}</td>
              <td className="px-3 py-2">{fmtMoney(r.costUsd, 'USD')}</td>
              <td className="px-3 py-2">
                <Link className="text-blue-800 underline" href={`/conversations/${r.conversationId}`}>
                  Transcript
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

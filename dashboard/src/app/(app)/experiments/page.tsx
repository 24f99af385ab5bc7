'use client'
import { FreshnessMark } from '@/components/freshness'
import { Suspense } from 'react'
import { DataTable, type Column } from '@/components/data-table'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { api, unwrap, type Schemas } from '@/lib/api'
import { csvName } from '@/lib/csv'
import { fmtDateTime } from '@/lib/format'
import { NEEDS } from '@/lib/roles'
import { RoleGate } from '@/lib/session'
import { useAgentName } from '@/lib/use-agents'
import { useApi } from '@/lib/use-api'

type Experiment = Schemas['Experiment']

const winnerOf = (e: Experiment) => e.variants.find((v) => v.id === e.winnerVariantId)?.label ?? ''

function Experiments() {
  const agentName = useAgentName()
  // The experiments of an organization are few (one running per agent): one page of 100 holds them.
  const list = useApi('experiments', async () =>
    unwrap(await api.GET('/api/v1/experiments', { params: { query: { limit: 100 } } })),
  )
  const columns: Column<Experiment>[] = [
    { header: 'Experiment', text: (e) => e.name, href: (e) => `/experiments/${e.id}` },
    { header: 'Agent', text: (e) => agentName(e.agentId), csv: (e) => e.agentId },
    { header: 'Status', text: (e) => e.status },
    { header: 'Variants', text: (e) => e.variants.map((v) => v.label).join(', ') },
    {
      header: 'Traffic weights',
      text: (e) =>
        e.variants.map((v) => `${v.label} ${v.weight === null ? 'equal split' : v.weight}`).join(', '),
    },
    { header: 'Winner', text: (e) => winnerOf(e) || '—', csv: winnerOf },
    { header: 'Started', text: (e) => fmtDateTime(e.createdAt), csv: (e) => e.createdAt },
  ]
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">Prompt experiments</h1>
        <FreshnessMark />
        <p className="text-sm text-gray-700">
          Each experiment splits an agent&apos;s traffic between prompt variants; the pipelines move traffic
          to the better one (Thompson sampling) and declare a winner once the evidence is strong enough.
        </p>
      </div>
      {list.state === 'loading' ? <Loading what="the experiments" /> : null}
      {list.state === 'error' ? <ErrorNote error={list.error} /> : null}
      {list.state === 'ok' && list.data.items.length === 0 ? (
        <Empty>
          No experiment yet: start one with POST /api/v1/experiments (two prompt versions on one agent).
        </Empty>
      ) : null}
      {list.state === 'ok' && list.data.items.length > 0 ? (
        <DataTable
          caption="Experiments, newest first"
          rows={list.data.items}
          columns={columns}
          rowKey={(e) => e.id}
          csvName={csvName('experiments')}
          testId="experiments"
        />
      ) : null}
    </div>
  )
}

export default function Page() {
  return (
    <RoleGate min={NEEDS.readExperiments}>
      <Suspense fallback={<Loading what="the experiments" />}>
        <Experiments />
      </Suspense>
    </RoleGate>
  )
}

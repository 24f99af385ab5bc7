'use client'
import { FreshnessMark } from '@/components/freshness'
import Link from 'next/link'
import { useParams } from 'next/navigation'
import { useState } from 'react'
import { Decision, StopButton, VariantTable, WeightHistory } from '@/components/experiment-parts'
import { ErrorNote, Loading } from '@/components/states'
import { api, unwrap } from '@/lib/api'
import { fmtDateTime } from '@/lib/format'
import type { Period } from '@/lib/period'
import { NEEDS } from '@/lib/roles'
import { RoleGate, useAtLeast } from '@/lib/session'
import { useAgentName } from '@/lib/use-agents'
import { useApi } from '@/lib/use-api'

const DAY = 24 * 3600 * 1000

/** An experiment's conversations: from the day it started to today included. */
const sinceStart = (createdAt: string): Period => ({
  from: createdAt.slice(0, 10),
  to: new Date(Date.parse(new Date().toISOString().slice(0, 10)) + DAY).toISOString().slice(0, 10),
})

function ExperimentScreen() {
  const { id } = useParams<{ id: string }>()
  const [version, setVersion] = useState(0)
  const mayStop = useAtLeast(NEEDS.stopExperiment)
  const agentName = useAgentName()
  const result = useApi(`${id}/${version}`, async () => {
    const path = { path: { id } }
    const [e, r] = await Promise.all([
      api.GET('/api/v1/experiments/{id}', { params: path }).then(unwrap),
      api.GET('/api/v1/analytics/experiments/{id}', { params: path }).then(unwrap),
    ])
    return { e, r }
  })
  return (
    <div className="flex flex-col gap-6">
      <Link href="/experiments" className="text-sm text-blue-800 underline">
        ← All experiments
      </Link>
      {result.state === 'loading' ? <Loading what="the experiment" /> : null}
      {result.state === 'error' ? <ErrorNote error={result.error} /> : null}
      {result.state === 'ok' ? (
        <>
          <div className="flex flex-wrap items-start justify-between gap-4">
            <div>
              <h1 className="text-2xl font-semibold">{result.data.r.name}</h1>
              <FreshnessMark />
              <p className="text-sm text-gray-700">
                Agent {agentName(result.data.e.agentId)} · started {fmtDateTime(result.data.e.createdAt)} ·
                status{' '}
                <span className="font-medium" data-testid="status">
                  {result.data.r.status}
                </span>
              </p>
            </div>
            {mayStop && result.data.r.status === 'running' ? (
              <StopButton id={id} onStopped={() => setVersion((v) => v + 1)} />
            ) : null}
          </div>
          <Decision r={result.data.r} />
          <VariantTable r={result.data.r} period={sinceStart(result.data.e.createdAt)} />
          <WeightHistory r={result.data.r} />
        </>
      ) : null}
    </div>
  )
}

export default function Page() {
  return (
    <RoleGate min={NEEDS.readExperiments}>
      <ExperimentScreen />
    </RoleGate>
  )
}

'use client'
import { useState } from 'react'
import { PrivacySetting } from '@/components/settings/privacy-setting'
import { RetentionSetting } from '@/components/settings/retention-setting'
import { ErrorNote, Loading } from '@/components/states'
import { allPages } from '@/lib/all-pages'
import { api, unwrap, type Schemas } from '@/lib/api'
import { fmtCount, fmtDateTime, fmtMoney } from '@/lib/format'
import { useMe } from '@/lib/session'
import { useApi } from '@/lib/use-api'

type Organization = Schemas['Organization']
type Agent = Schemas['Agent']

const VERTICAL_NAMES: Record<Organization['vertical'], string> = {
  ecommerce: 'E-commerce',
  real_estate: 'Real estate',
  accounting: 'Accounting',
  medical: 'Medical',
}

/** The template versions the agents were made from: an agent keeps its version until edited by hand. */
function templateVersions(agents: Agent[]): string {
  const versions = [...new Set(agents.map((a) => a.templateVersion))].sort()
  return versions.length ? versions.join(', ') : 'no agent yet'
}

function Facts({ org, agents }: { org: Organization; agents: Agent[] }) {
  const roi = org.roiAssumptions
  const facts: [string, string, string][] = [
    ['name', 'Organization', org.name],
    ['vertical', 'Vertical template', VERTICAL_NAMES[org.vertical]],
    ['template-version', 'Template version in use', templateVersions(agents)],
    ['currency', 'Currency', roi.currency],
    ['locale', 'Number format', `your browser’s (${new Intl.NumberFormat().resolvedOptions().locale})`],
    ['compliance', 'Compliance approval', org.complianceApproved ? 'approved' : 'not approved'],
    ['minutes', 'Minutes a person needs per conversation', fmtCount(roi.minutesPerConversation)],
    ['hourly-cost', 'Hourly cost of a person', fmtMoney(roi.hourlyCost, roi.currency)],
    ['subscription', 'Subscription per month', fmtMoney(roi.subscriptionMonthly, roi.currency)],
    ['created', 'Created', fmtDateTime(org.createdAt)],
  ]
  return (
    <dl className="grid grid-cols-1 gap-3 sm:grid-cols-2" data-testid="organization-facts">
      {facts.map(([id, label, text]) => (
        <div key={id} className="rounded border border-gray-200 bg-white p-3" data-testid={`org-${id}`}>
          <dt className="text-xs text-gray-700">{label}</dt>
          <dd className="font-medium">{text}</dd>
        </div>
      ))}
    </dl>
  )
}

/** Settings overview: the organization, its vertical template and the figures its numbers use. */
export default function SettingsOverview() {
  const me = useMe()
  const [version, setVersion] = useState(0)
  const loaded = useApi(`organization:${me.organization.id}:${version}`, async () => {
    const [org, agents] = await Promise.all([
      api.GET('/api/v1/organization').then(unwrap),
      allPages((cursor) =>
        api.GET('/api/v1/agents', { params: { query: { limit: 200, cursor } } }).then(unwrap),
      ),
    ])
    return { org, agents }
  })
  return (
    <section aria-labelledby="org-title" className="flex flex-col gap-3">
      <h2 id="org-title" className="text-lg font-semibold">
        Organization
      </h2>
      {loaded.state === 'loading' ? <Loading what="the organization" /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} /> : null}
      {loaded.state === 'ok' ? (
        <>
          <Facts org={loaded.data.org} agents={loaded.data.agents} />
          <PrivacySetting org={loaded.data.org} role={me.role} onSaved={() => setVersion((v) => v + 1)} />
          <RetentionSetting organizationId={me.organization.id} role={me.role} />
          <p className="text-sm text-gray-700">
            The API holds a currency but no locale: numbers follow your browser’s format.
          </p>
        </>
      ) : null}
    </section>
  )
}

'use client'
// Onboarding: the template's questions → starter knowledge, the owner's own knowledge, ROI
// assumptions, the widget snippet, and a live test conversation. The step is in the URL
// (?step=…), and every step reads its state from the API, so leaving and coming back resumes.
import Link from 'next/link'
import { useRouter, useSearchParams } from 'next/navigation'
import { Suspense, useState } from 'react'
import { OnboardingKnowledgeStep } from '@/components/onboarding-knowledge-step'
import { OnboardingProgress } from '@/components/onboarding-progress'
import { OnboardingQuestions } from '@/components/onboarding-questions'
import { OnboardingWidgetStep } from '@/components/onboarding-widget-step'
import { RoiMinutesForm } from '@/components/roi-minutes-form'
import { ErrorNote, Loading } from '@/components/states'
import { TestConversation } from '@/components/test-conversation'
import { api, unwrap, type Schemas } from '@/lib/api'
import { nextStep, previousStep, STEPS, stepHref, stepOf, type StepId } from '@/lib/onboarding-steps'
import { NEEDS } from '@/lib/roles'
import { useAtLeast, useMe } from '@/lib/session'
import { useApi } from '@/lib/use-api'

type Onboarding = Schemas['Onboarding']

/** Everything the steps read: the questions and answers, the organization, the agent (if any). */
async function loadState() {
  const onboarding = unwrap(await api.GET('/api/v1/onboarding'))
  const organization = unwrap(await api.GET('/api/v1/organization'))
  const agent = onboarding.agentId
    ? unwrap(await api.GET('/api/v1/agents/{id}', { params: { path: { id: onboarding.agentId } } }))
    : null
  return { onboarding, organization, agent }
}

function StepNav({ step }: { step: StepId }) {
  const prev = previousStep(step)
  const next = nextStep(step)
  return (
    <div className="flex gap-4 text-sm">
      {prev ? (
        <Link className="text-blue-800 underline" href={stepHref(prev)}>
          Back
        </Link>
      ) : null}
      {next ? (
        <Link className="text-blue-800 underline" href={stepHref(next)} data-testid="continue">
          {step === 'questions' || step === 'roi' ? 'Skip for now' : 'Continue'}
        </Link>
      ) : (
        <Link className="text-blue-800 underline" href="/overview" data-testid="finish">
          Finish: go to the overview
        </Link>
      )}
    </div>
  )
}

function Wizard() {
  const step = stepOf(useSearchParams().get('step'))
  const router = useRouter()
  const me = useMe()
  const mayAnswer = useAtLeast(NEEDS.answerOnboarding)
  const mayWriteKnowledge = useAtLeast(NEEDS.writeKnowledge)
  const mayEditRoi = useAtLeast(NEEDS.editRoi)
  const mayWidget = useAtLeast(NEEDS.manageWidgetKeys)
  const mayCreateAgent = useAtLeast(NEEDS.createAgent)
  // Reloaded on every step change: each step starts from the API's current state.
  const state = useApi(`onboarding-${step}`, loadState)
  const [saved, setSaved] = useState<Onboarding>()
  const title = STEPS.find((s) => s.id === step)!.label
  const go = (s: StepId | null) => router.push(s ? stepHref(s) : '/overview')

  let body: React.ReactNode
  if (state.state === 'loading') body = <Loading what="your onboarding" />
  else if (state.state === 'error') body = <ErrorNote error={state.error} />
  else {
    const { onboarding, organization } = state.data
    let agent = state.data.agent
    const needAgent = (
      <p role="alert" className="rounded border border-amber-200 bg-amber-50 p-4 text-amber-900">
        Your organization has no agent yet: answer the first step to create it.
      </p>
    )
    if (step === 'questions') {
      const o = saved ?? onboarding
      body = (
        <>
          <p className="text-gray-800" data-testid="answered">
            {o.answered} of {o.required} questions answered for your {o.templateName.toLowerCase()} agent.
          </p>
          <OnboardingQuestions
            onboarding={o}
            mayAnswer={mayAnswer && (agent !== null || mayCreateAgent)}
            beforeSave={async () => {
              if (agent) return
              const body = { name: `${me.organization.name} assistant` }
              agent = unwrap(await api.POST('/api/v1/agents', { body }))
            }}
            onSaved={(next) => {
              setSaved(next)
              go('knowledge')
            }}
          />
        </>
      )
    } else if (step === 'knowledge') {
      const kb = agent?.knowledgeBaseIds[0]
      body = kb ? <OnboardingKnowledgeStep kbId={kb} mayWrite={mayWriteKnowledge} /> : needAgent
    } else if (step === 'roi') {
      body = (
        <RoiMinutesForm
          organization={organization}
          templateMinutes={onboarding.minutesHumanPerConversation}
          mayEdit={mayEditRoi}
          onSaved={() => go('widget')}
        />
      )
    } else if (step === 'widget') {
      body = agent ? <OnboardingWidgetStep agent={agent} mayWrite={mayWidget} /> : needAgent
    } else {
      body = agent ? <TestConversation agentId={agent.id} /> : needAgent
    }
  }
  return (
    <div className="flex flex-col gap-5">
      <div>
        <h1 className="text-2xl font-semibold">Set up your agent</h1>
        <p className="text-gray-700">
          Five steps, each saved as you go; come back to any of them from the list.
        </p>
      </div>
      <OnboardingProgress step={step} />
      <section
        aria-labelledby="step-title"
        className="flex flex-col gap-4 rounded border border-gray-200 bg-white p-4"
      >
        <h2 id="step-title" className="text-xl font-semibold">
          {title}
        </h2>
        {body}
      </section>
      <StepNav step={step} />
    </div>
  )
}

export default function Page() {
  return (
    <Suspense fallback={<Loading what="your onboarding" />}>
      <Wizard />
    </Suspense>
  )
}

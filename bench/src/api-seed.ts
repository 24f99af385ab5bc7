import { randomUUID } from 'node:crypto'

/** What a load run against the API needs: an API key (Bearer) and an agent to open conversations on. */
export interface ApiTenant {
  authorization: string
  agentId: string
}

async function post(base: string, path: string, body: unknown, headers: Record<string, string>) {
  const r = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`)
  return { json: (await r.json()) as Record<string, unknown>, cookies: r.headers.getSetCookie() }
}

/** Signs up a fresh organization (a new email each time, so a reused database is fine), creates an API key with the session cookie + CSRF header, then an agent. */
export async function seedTenant(base: string): Promise<ApiTenant> {
  const signup = await post(
    base,
    '/auth/signup',
    {
      email: `bench-${randomUUID()}@example.com`,
      password: 'correct horse battery staple',
      organizationName: 'Bench',
      vertical: 'ecommerce',
    },
    {},
  )
  const jar = new Map(signup.cookies.map((c) => c.split(';')[0]!.split('=') as [string, string]))
  const session = {
    cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    'x-csrf-token': jar.get('luneo_csrf') ?? '',
  }
  const key = await post(base, '/api-keys', { name: 'bench', scopes: ['admin'] }, session)
  const authorization = `Bearer ${String(key.json.secret)}`
  const agent = await post(base, '/agents', { name: 'bench-bot' }, { authorization })
  await confirmStarterKnowledge(base, authorization, agent.json.knowledgeBaseIds as string[])
  return { authorization, agentId: String(agent.json.id) }
}

/**
 * The template's starter documents are written unconfirmed and never retrieved until confirmed
 * (ADR 0019); the benchmarks measure an agent answering from them, as a confirming owner's does.
 */
async function confirmStarterKnowledge(base: string, authorization: string, kbIds: string[]) {
  for (const kb of kbIds) {
    const r = await fetch(`${base}/api/v1/knowledge-bases/${kb}/documents?limit=200`, {
      headers: { authorization },
    })
    if (!r.ok) throw new Error(`GET documents: ${r.status} ${await r.text()}`)
    const docs = ((await r.json()) as { items: { id: string; confirmedAt: string | null }[] }).items
    for (const d of docs.filter((d) => !d.confirmedAt))
      await post(base, `/knowledge-bases/${kb}/documents/${d.id}/confirm`, {}, { authorization })
  }
}

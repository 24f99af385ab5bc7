import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { martMigrations, migrateClickHouse, openClickHouse, type ClickHouseHandle } from '@luneo/warehouse'
import { openTestPostgres, tempDir } from '@luneo/warehouse/testing'
import { OutboxDrainer, createClickHouseSink } from '@luneo/ingest'
import { buildApp } from '../app.js'
import { loadConfig, type Config } from '../config.js'
import type { AppDeps } from '../context.js'
import { createPipelineRunner } from '@luneo/pipelines'
import { createAiParts } from '../wiring/ai.js'
import { pipelineDeps } from '../wiring/pipelines.js'
import { startChroma, type ChromaProcess } from '../knowledge/chroma-process.js'

export interface TestApp {
  app: FastifyInstance
  deps: AppDeps
  drainer: OutboxDrainer
  /** The Chroma server the app's knowledge index uses (the suite's or this file's child). */
  chromaUrl: string
  close(): Promise<void>
}

/**
 * A real app on real stores for a test file: a fresh Postgres (PGlite, or a throwaway database
 * on the server when LUNEO_TEST_DATABASE_URL is set) and chDB in a temp dir. Never a mock.
 */
export async function startTestApp(
  overrides: Partial<Config> = {},
  extra: Partial<AppDeps> = {},
): Promise<TestApp> {
  const pg = await openTestPostgres()
  const dir = tempDir('luneo-api-')
  let ch: ClickHouseHandle
  try {
    ch = await openClickHouse({ url: process.env.LUNEO_TEST_CLICKHOUSE_URL, dataDir: dir.path })
    await migrateClickHouse(ch.ch)
    await migrateClickHouse(ch.ch, martMigrations)
  } catch (err) {
    await pg.close()
    throw err
  }
  const config = {
    ...loadConfig({
      NODE_ENV: 'test',
      LUNEO_LOG_LEVEL: 'silent',
      LUNEO_SECRET: 'test-secret-test-secret-test',
    }),
    // Nothing drains this app's outbox unless the test wires onEventsCommitted (tests drain by
    // hand): a refresh would wait its whole bound for rows nobody moves, so it answers at once
    // (coverage says what was pending), as before the wait existed.
    ...(extra.onEventsCommitted ? {} : { refreshWaitMs: 0 }),
    ...overrides,
  }
  // Chroma: the test's own server (overrides.chromaUrl), else the suite's shared one when
  // CHROMA_URL is set (make test), else a child per file.
  let chroma: ChromaProcess | null = null
  const chromaUrl =
    overrides.chromaUrl || process.env.CHROMA_URL || (chroma = await startChroma(`${dir.path}/chroma`)).url
  const base = {
    config,
    db: pg.db,
    ch: ch.ch,
    secret: config.secret!,
    stores: { postgres: pg.kind, clickhouse: ch.kind },
    ai:
      extra.ai ?? (await createAiParts(config, pg.db, chromaUrl, undefined, console.error, extra.faultPoint)),
    ...extra,
  }
  const deps: AppDeps = { ...base, pipelines: extra.pipelines ?? createPipelineRunner(pipelineDeps(base)) }
  const app = await buildApp(deps)
  await app.ready()
  const drainer = new OutboxDrainer(pg.db, createClickHouseSink(ch.ch))
  return {
    app,
    deps,
    drainer,
    chromaUrl,
    async close() {
      await app.close()
      await ch.close()
      await pg.close()
      await chroma?.stop()
      if (!extra.ai) await deps.ai.embedder.close?.()
      dir.remove()
    },
  }
}

/** Config that points the app at a fake OpenAI server (models/testing): gpt-4o-mini, 2 s timeouts. */
export function fakeOpenAIConfig(baseURL: string): NonNullable<Config['openai']> {
  return {
    baseURL,
    apiKey: 'test',
    model: 'gpt-4o-mini',
    embeddingModel: 'text-embedding-3-small',
    timeoutMs: 2000,
  }
}

/** A signed-in person: cookies and CSRF header to replay on later requests. */
export interface Session {
  cookie: string
  csrf: string
  organizationId: string
  userId: string
}

export function sessionFrom(res: LightMyRequestResponse): Omit<Session, 'organizationId' | 'userId'> {
  const jar: Record<string, string> = {}
  for (const c of res.cookies) jar[c.name] = c.value
  return {
    cookie: Object.entries(jar)
      .map(([k, v]) => `${k}=${v}`)
      .join('; '),
    csrf: jar.luneo_csrf ?? '',
  }
}

let counter = 0
/** Signs up a new organization and returns its owner's session. */
export async function signup(app: FastifyInstance, vertical = 'ecommerce', name?: string): Promise<Session> {
  counter += 1
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    // Each signup from its own address: the per-IP login limit is not what these tests measure.
    remoteAddress: `10.${(counter >> 16) & 255}.${(counter >> 8) & 255}.${counter & 255}`,
    payload: {
      email: `owner${counter}-${Date.now()}@example.com`,
      password: 'correct horse battery',
      organizationName: name ?? `Org ${counter}`,
      vertical,
    },
  })
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`)
  const me = res.json()
  return { ...sessionFrom(res), organizationId: me.organization.id, userId: me.user.id }
}

/** Headers for a cookie session (with the CSRF echo) or an API key. */
export function as(who: Pick<Session, 'cookie' | 'csrf'> | string): Record<string, string> {
  if (typeof who === 'string') return { authorization: `Bearer ${who}` }
  return { cookie: who.cookie, 'x-csrf-token': who.csrf }
}

/** Creates an API key with the given scopes for a session's organization. */
export async function createKey(app: FastifyInstance, owner: Session, scopes: string[]): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    headers: as(owner),
    payload: { name: 'test', scopes },
  })
  if (res.statusCode !== 201) throw new Error(`api key failed: ${res.statusCode} ${res.body}`)
  return res.json().secret
}

/** Adds a member with a role (via invitation + acceptance) and returns their session. */
export async function addMember(app: FastifyInstance, owner: Session, role: string): Promise<Session> {
  counter += 1
  const email = `${role}${counter}-${Date.now()}@example.com`
  const inv = await app.inject({
    method: 'POST',
    url: '/api/v1/members',
    headers: as(owner),
    payload: { email, role },
  })
  if (inv.statusCode !== 201) throw new Error(`invite failed: ${inv.statusCode} ${inv.body}`)
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/accept-invite',
    remoteAddress: `10.200.${(counter >> 8) & 255}.${counter & 255}`,
    payload: { token: inv.json().inviteToken, password: 'correct horse battery' },
  })
  if (res.statusCode !== 201) throw new Error(`accept failed: ${res.statusCode} ${res.body}`)
  return { ...sessionFrom(res), organizationId: owner.organizationId, userId: res.json().user.id }
}

/**
 * Confirms every starter document of an agent's knowledge bases, as an owner does in Settings:
 * the template's documents are written unconfirmed and no retrieval sees them before (ADR 0019).
 * For tests whose questions the starter knowledge answers.
 */
export async function confirmStarterKnowledge(
  app: FastifyInstance,
  who: Pick<Session, 'cookie' | 'csrf'> | string,
  agentId: string,
): Promise<number> {
  const agent = await app.inject({ method: 'GET', url: `/api/v1/agents/${agentId}`, headers: as(who) })
  if (agent.statusCode !== 200) throw new Error(`agent failed: ${agent.statusCode} ${agent.body}`)
  let n = 0
  for (const kb of agent.json<{ knowledgeBaseIds: string[] }>().knowledgeBaseIds) {
    const docs = await app.inject({
      method: 'GET',
      url: `/api/v1/knowledge-bases/${kb}/documents?limit=200`,
      headers: as(who),
    })
    for (const d of docs.json<{ items: { id: string; confirmedAt: string | null }[] }>().items) {
      if (d.confirmedAt) continue
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/knowledge-bases/${kb}/documents/${d.id}/confirm`,
        headers: as(who),
      })
      if (res.statusCode !== 200) throw new Error(`confirm failed: ${res.statusCode} ${res.body}`)
      n += 1
    }
  }
  return n
}

// Wiring: the composition root of a running API (server.ts, the CLI and the test harness open it).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import {
  martMigrations,
  migrateClickHouse,
  migratePostgres,
  newestEventPart,
  openClickHouse,
  openPostgres,
  type Ch,
  type Db,
} from '@luneo/warehouse'
import {
  OutboxDrainer,
  createClickHouseSink,
  createOutboxDeadLetterWriter,
  kafkaStreamProgress,
  openKafka,
  outboxBacklog,
} from '@luneo/ingest'
import { PipelineScheduler, createPipelineRunner } from '@luneo/pipelines'
import type { Config } from '../config.js'
import type { AppDeps } from '../context.js'
import { startChroma, type ChromaProcess } from '../knowledge/chroma-process.js'
import { reindexPending } from '../services/knowledge.js'
import { PrivacyWorker } from '../privacy/privacy-worker.js'
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js'
import { commitNudges } from './nudges.js'
import { EmailDispatcher } from '../email/email-dispatcher.js'
import { createLogMailer, createSmtpMailer, type Mailer } from '../email/mailer.js'
import { createAiParts } from './ai.js'
import { pipelineDeps } from './pipelines.js'

export interface Stores {
  db: Db
  ch: Ch
  deps: AppDeps
  drainer: OutboxDrainer | null
  /** Escalation webhooks; started here, stopped by close(). */
  webhooks: WebhookDispatcher | null
  close(): Promise<void>
}

/**
 * The HMAC secret: LUNEO_SECRET when given (required in production), otherwise one generated
 * once and kept in the data dir so sessions survive a restart of `make dev`.
 */
function resolveSecret(config: Config): string {
  if (config.secret) return config.secret
  if (config.env === 'production') throw new Error('LUNEO_SECRET must be set in production')
  const file = join(config.dataDir, 'secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(config.dataDir, { recursive: true })
  const secret = randomBytes(32).toString('base64url')
  writeFileSync(file, secret, { mode: 0o600 })
  return secret
}

/**
 * Outgoing mail: the SMTP server of SMTP_URL, or without one (dev) the log file
 * <data dir>/emails.log, announced once at start so nobody waits for mail that never leaves.
 */
function createMailer(config: Config): Mailer {
  if (config.email.smtpUrl) return createSmtpMailer(config.email.smtpUrl, config.email.from)
  const file = join(config.dataDir, 'emails.log')
  const say = (line: string) => console.error(line)
  say(`email: no SMTP_URL set; verification and invitation emails are written to ${file}`)
  return createLogMailer(file, config.email.from, say)
}

/**
 * Wiring: opens both stores (embedded or server, by config), applies migrations, and composes the
 * drainer, the webhook dispatcher, the AI parts, the pipeline runner and its scheduler.
 */
export async function openStores(config: Config): Promise<Stores> {
  const pg = await openPostgres({ url: config.databaseUrl, dataDir: join(config.dataDir, 'postgres') })
  const chHandle = await openClickHouse({
    url: config.clickhouseUrl,
    dataDir: join(config.dataDir, 'clickhouse'),
  })
  try {
    await migratePostgres(pg.db)
    await migrateClickHouse(chHandle.ch)
    await migrateClickHouse(chHandle.ch, martMigrations)
  } catch (err) {
    await Promise.allSettled([pg.close(), chHandle.close()])
    throw err
  }
  let chroma: ChromaProcess | null = null
  try {
    chroma = config.chromaUrl ? null : await startChroma(join(config.dataDir, 'chroma'))
  } catch (err) {
    await Promise.allSettled([pg.close(), chHandle.close()])
    throw err
  }
  const chromaUrl = config.chromaUrl ?? chroma!.url
  const drainer = config.drainer
    ? new OutboxDrainer(pg.db, createClickHouseSink(chHandle.ch), {
        batchSize: config.drainBatchSize,
        prune: { keepMs: config.outboxKeepHours * 3_600_000 },
        deadLetters: createOutboxDeadLetterWriter(chHandle.ch),
        onError: (err) => console.error('outbox drainer: publish failed, retrying', err),
        // Schema missing (ADR 0014): nothing a retry fixes. The server watches `drainer.crashed`
        // and exits non-zero, so it is seen and restarted, not left stalled.
        onFatal: (err) => console.error('outbox drainer: stopped for good', err),
      })
    : null
  const webhooks = config.webhooks
    ? new WebhookDispatcher(pg.db, {
        timeoutMs: config.webhookTimeoutMs,
        // Dev and tests deliver to receivers on this machine; production never reaches inside.
        allowInternalDestinations: config.env !== 'production',
        onError: (err) => console.error('webhook dispatcher: polling failed, retrying', err),
      })
    : null
  const emails = config.email.dispatcher
    ? new EmailDispatcher(pg.db, createMailer(config), {
        onError: (err) => console.error('email dispatcher: polling failed, retrying', err),
      })
    : null
  const nudges = commitNudges(drainer, webhooks)
  // Server mode with the Kafka relay and sink: a refresh waits for the sink group too. The admin
  // connects on the first refresh, so an unreachable broker never blocks the API's start.
  const kafka = config.stream
    ? openKafka({ brokers: config.stream.brokers, clientId: 'luneo-api', logLevel: 'error' })
    : null
  const base = {
    config,
    ...(kafka && config.stream
      ? { streamProgress: kafkaStreamProgress(kafka.admin, config.stream.topic, config.stream.sinkGroup) }
      : {}),
    db: pg.db,
    ch: chHandle.ch,
    secret: resolveSecret(config),
    stores: { postgres: pg.kind, clickhouse: chHandle.kind },
    onEventsCommitted: nudges.onEventsCommitted,
    onEmailQueued: () => emails?.nudge(),
    outboxBacklog: () => outboxBacklog(pg.db),
    ai: await createAiParts(config, pg.db, chromaUrl, nudges.onTurnCommitted).catch(async (err: unknown) => {
      await Promise.allSettled([pg.close(), chHandle.close(), chroma?.stop()])
      throw err
    }),
  }
  const deps: AppDeps = {
    ...base,
    pipelines: createPipelineRunner(pipelineDeps(base, (line) => console.error(line))),
  }
  const privacy = new PrivacyWorker(deps, {
    onError: (err) => console.error('privacy worker: pass failed, retrying', err),
  })
  deps.privacy = privacy
  const scheduler =
    config.pipelinesIntervalMs > 0
      ? new PipelineScheduler(deps.pipelines, {
          intervalMs: config.pipelinesIntervalMs,
          newestEventMark: () => newestEventPart(deps.ch),
          onError: (err) => console.error('pipelines: run failed', err),
        })
      : null
  // Documents saved while the vector store was unreachable (or before a crash) get indexed now.
  await reindexPending(deps).catch((err: unknown) =>
    console.error('re-indexing pending documents failed', err),
  )
  webhooks?.start()
  emails?.start()
  scheduler?.start()
  privacy.start()
  return {
    db: pg.db,
    ch: chHandle.ch,
    deps,
    drainer,
    webhooks,
    async close() {
      await scheduler?.stop()
      await privacy.stop()
      await webhooks?.stop()
      await emails?.stop()
      await drainer?.stop()
      await kafka?.close()
      await chHandle.close()
      await pg.close()
      await chroma?.stop()
      await deps.ai.embedder.close?.()
    },
  }
}

import { findPrice, priceTable, type PriceTable } from '@luneo/models'
import { z } from 'zod'

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

const Env = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LUNEO_DATA_DIR: z.string().default('.luneo'),
  DATABASE_URL: z.string().url().optional(),
  CLICKHOUSE_URL: z.string().url().optional(),
  LUNEO_SECRET: z.string().min(16).optional(),
  LUNEO_CORS_ORIGINS: z.string().default('http://localhost:3001,http://127.0.0.1:3001'),
  /** Where browsers reach the product (the dashboard's origin): SSO's redirect URI is built on it. */
  LUNEO_PUBLIC_URL: z.string().url().optional(),
  LUNEO_SSO_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  LUNEO_BODY_LIMIT: z.coerce.number().int().positive().default(1_048_576),
  LUNEO_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(6_000),
  LUNEO_LOGIN_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
  LUNEO_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LUNEO_DRAINER: bool.default(true),
  LUNEO_DRAIN_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** How long POST /analytics/refresh waits for the events committed before it to reach ClickHouse. */
  LUNEO_REFRESH_WAIT_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /** Set when events go outbox → Kafka → sink (`luneo ingest relay|sink`): refresh then waits on the sink too. */
  KAFKA_BROKERS: z.string().min(1).optional(),
  LUNEO_EVENTS_TOPIC: z.string().min(1).default('luneo.events'),
  LUNEO_SINK_GROUP: z.string().min(1).default('luneo-sink'),
  LUNEO_OUTBOX_KEEP_HOURS: z.coerce.number().int().positive().default(168),
  LUNEO_SECURE_COOKIES: bool.optional(),
  CHROMA_URL: z.string().url().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  LUNEO_OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  LUNEO_EMBEDDINGS: z.enum(['local', 'hashing', 'openai']).default('local'),
  LUNEO_EMBEDDING_MODEL_DIR: z.string().optional(),
  LUNEO_OPENAI_EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  LUNEO_LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  LUNEO_DEMO: bool.default(false),
  LUNEO_JUDGE_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0.2),
  LUNEO_OPERATOR_TOKEN: z.string().min(16).optional(),
  LUNEO_PIPELINES_INTERVAL_MS: z.coerce.number().int().min(0).default(10_000),
  LUNEO_MIN_GROUNDING_SCORE: z.coerce.number().min(0).max(1).optional(),
  LUNEO_WEBHOOKS: bool.default(true),
  LUNEO_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  LUNEO_PRICES: z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown
      } catch {
        ctx.addIssue({ code: 'custom', message: 'LUNEO_PRICES must be a JSON object' })
        return z.NEVER
      }
    })
    .pipe(
      z.record(
        z.string().min(1),
        z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict(),
      ),
    )
    .optional(),
  LUNEO_WIDGET_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** Per widget key and client address: one visitor (or one script) cannot use up a site's allowance. */
  LUNEO_WIDGET_CLIENT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(60),
  /** Outgoing mail (`smtp://user:pass@host:587`, `smtps://…:465`); unset = written to <data dir>/emails.log. */
  SMTP_URL: z
    .string()
    .url()
    .refine((u) => /^smtps?:\/\//.test(u), 'SMTP_URL must start with smtp:// or smtps://')
    .optional(),
  LUNEO_MAIL_FROM: z.string().min(3).default('Luneo <no-reply@luneo.localhost>'),
  /** Where the dashboard is, for the links in emails (verification, invitations). */
  LUNEO_DASHBOARD_URL: z.string().url().default('http://127.0.0.1:3001'),
  /** Run the email dispatcher in this process (off for one-shot commands such as `luneo pipelines run`). */
  LUNEO_EMAIL_DISPATCHER: bool.default(true),
  /** Verification emails one user may ask to be sent again per hour. */
  LUNEO_EMAIL_RESEND_LIMIT_PER_HOUR: z.coerce.number().int().positive().default(5),
  /** Rate limits in Redis (shared by every replica); in memory, per process, when unset. */
  REDIS_URL: z.string().url().optional(),
  /**
   * Which proxies' X-Forwarded-For to believe: `false` (default: the socket's address), `true`
   * (any: only behind a proxy that overwrites the header), a hop count, or addresses/CIDRs.
   */
  LUNEO_TRUST_PROXY: z
    .string()
    .transform((v): boolean | number | string[] =>
      v === 'true'
        ? true
        : v === 'false' || v === ''
          ? false
          : /^\d+$/.test(v)
            ? Number(v)
            : v.split(',').map((x) => x.trim()),
    )
    .optional(),
})

export interface Config {
  env: 'development' | 'test' | 'production'
  host: string
  port: number
  dataDir: string
  databaseUrl: string | undefined
  clickhouseUrl: string | undefined
  /** HMAC key for access tokens. Generated per data dir in dev when unset (see wiring/stores.ts). */
  secret: string | undefined
  corsOrigins: string[]
  /** The browser-facing origin (LUNEO_PUBLIC_URL, else the first CORS origin), no trailing slash. */
  publicUrl: string
  /** Each call to an organization's identity provider (discovery, keys, token, userinfo). */
  ssoTimeoutMs: number
  bodyLimit: number
  rateLimitPerMinute: number
  loginLimitPerMinute: number
  logLevel: string
  drainer: boolean
  drainBatchSize: number
  /** Bound on a refresh's wait for the events committed before it (then it runs and says so). */
  refreshWaitMs: number
  /** The event stream when the Kafka relay and sink move events (server mode); absent: a drainer does. */
  stream: { brokers: string[]; topic: string; sinkGroup: string } | undefined
  /** Published outbox rows are deleted past this age (hours; docs/adr/0022). */
  outboxKeepHours: number
  secureCookies: boolean
  chromaUrl: string | undefined
  /** OpenAI-compatible endpoint; when absent the local deterministic provider answers. */
  openai:
    { baseURL: string; apiKey: string; model: string; embeddingModel: string; timeoutMs: number } | undefined
  /**
   * Retrieval embedder: `local` = bge-small-en-v1.5 in-process when its files are installed (else the
   * hashing one, said once at start), `hashing` = the lexical model-free one, `openai` = OPENAI_*.
   */
  embeddings: 'local' | 'hashing' | 'openai'
  /** Holds the bge-small model.onnx + tokenizer.json (default: where `make install` puts them). */
  embeddingModelDir: string | undefined
  /** Overrides the embedder's own grounding threshold (its scores mean different things per model). */
  minGroundingScore: number | undefined
  /** In-process pipeline schedule (0 = off; cron or `luneo pipelines run` instead). */
  pipelinesIntervalMs: number
  /** Seed the demo on an empty database (make dev). */
  demo: boolean
  /** Share of closed conversations a configured remote model judges (verified resolution). */
  judgeSampleRate: number
  /** Bearer token of operator routes (`luneo pipelines run` against a running server). */
  operatorToken: string | undefined
  /** Run the escalation webhook dispatcher in this process. */
  webhooks: boolean
  /** Per delivery attempt; a slower receiver counts as a failed attempt. */
  webhookTimeoutMs: number
  /** Model → USD per 1M tokens, merged over the built-in table (contracts, self-hosted models, "*"). */
  prices: Record<string, { input: number; output: number }>
  /** Requests per minute per public widget key (all of a site's visitors share it). */
  widgetRateLimitPerMinute: number
  widgetClientRateLimitPerMinute: number
  /**
   * Outgoing email: SMTP when `smtpUrl` is set; otherwise each message is appended to
   * `<dataDir>/emails.log` (dev), and invitations also return their link once.
   */
  email: {
    smtpUrl: string | undefined
    from: string
    dashboardUrl: string
    resendLimitPerHour: number
    dispatcher: boolean
  }
  redisUrl: string | undefined
  trustProxy: boolean | number | string[]
}

/** Parses the environment once, at start; everything below receives the result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means unset (`DATABASE_URL= make dev` runs embedded).
  const e = Env.parse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')))
  const config: Config = {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir: e.LUNEO_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    clickhouseUrl: e.CLICKHOUSE_URL,
    secret: e.LUNEO_SECRET,
    corsOrigins: e.LUNEO_CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    publicUrl: '',
    ssoTimeoutMs: e.LUNEO_SSO_TIMEOUT_MS,
    bodyLimit: e.LUNEO_BODY_LIMIT,
    rateLimitPerMinute: e.LUNEO_RATE_LIMIT_PER_MINUTE,
    loginLimitPerMinute: e.LUNEO_LOGIN_LIMIT_PER_MINUTE,
    logLevel: e.LUNEO_LOG_LEVEL,
    drainer: e.LUNEO_DRAINER,
    drainBatchSize: e.LUNEO_DRAIN_BATCH_SIZE,
    refreshWaitMs: e.LUNEO_REFRESH_WAIT_MS,
    // The stream is the events' path only when no embedded drainer writes them to ClickHouse
    // directly: a KAFKA_BROKERS that merely exists in the environment (a test run's shared broker)
    // must not make every refresh wait on a sink group nobody runs.
    stream:
      e.KAFKA_BROKERS && !e.LUNEO_DRAINER
        ? {
            brokers: e.KAFKA_BROKERS.split(',')
              .map((b) => b.trim())
              .filter(Boolean),
            topic: e.LUNEO_EVENTS_TOPIC,
            sinkGroup: e.LUNEO_SINK_GROUP,
          }
        : undefined,
    outboxKeepHours: e.LUNEO_OUTBOX_KEEP_HOURS,
    // Secure cookies outside dev: browsers drop Secure cookies on plain-http localhost.
    secureCookies: e.LUNEO_SECURE_COOKIES ?? e.NODE_ENV === 'production',
    chromaUrl: e.CHROMA_URL,
    openai:
      e.OPENAI_API_KEY || e.OPENAI_BASE_URL
        ? {
            baseURL: e.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
            apiKey: e.OPENAI_API_KEY ?? 'none',
            model: e.LUNEO_OPENAI_MODEL,
            embeddingModel: e.LUNEO_OPENAI_EMBEDDING_MODEL,
            timeoutMs: e.LUNEO_LLM_TIMEOUT_MS,
          }
        : undefined,
    embeddings: e.LUNEO_EMBEDDINGS,
    embeddingModelDir: e.LUNEO_EMBEDDING_MODEL_DIR,
    minGroundingScore: e.LUNEO_MIN_GROUNDING_SCORE,
    pipelinesIntervalMs: e.LUNEO_PIPELINES_INTERVAL_MS,
    demo: e.LUNEO_DEMO,
    judgeSampleRate: e.LUNEO_JUDGE_SAMPLE_RATE,
    operatorToken: e.LUNEO_OPERATOR_TOKEN,
    webhooks: e.LUNEO_WEBHOOKS,
    webhookTimeoutMs: e.LUNEO_WEBHOOK_TIMEOUT_MS,
    prices: e.LUNEO_PRICES ?? {},
    widgetRateLimitPerMinute: e.LUNEO_WIDGET_RATE_LIMIT_PER_MINUTE,
    widgetClientRateLimitPerMinute: e.LUNEO_WIDGET_CLIENT_RATE_LIMIT_PER_MINUTE,
    email: {
      smtpUrl: e.SMTP_URL,
      from: e.LUNEO_MAIL_FROM,
      dashboardUrl: e.LUNEO_DASHBOARD_URL.replace(/\/+$/, ''),
      resendLimitPerHour: e.LUNEO_EMAIL_RESEND_LIMIT_PER_HOUR,
      dispatcher: e.LUNEO_EMAIL_DISPATCHER,
    },
    redisUrl: e.REDIS_URL,
    trustProxy: e.LUNEO_TRUST_PROXY ?? false,
  }
  config.publicUrl = (e.LUNEO_PUBLIC_URL ?? config.corsOrigins[0] ?? 'http://localhost:3001').replace(
    /\/+$/,
    '',
  )
  checkPriced(config)
  return config
}

/** The built-in list prices with the operator's `LUNEO_PRICES` entries laid over them. */
export function pricesFor(config: Pick<Config, 'prices'>): PriceTable {
  return { ...priceTable, local: { input: 0, output: 0 }, ...config.prices }
}

/**
 * The price of a model, or why it has none. Every remote model the product may call must be
 * priced before it is used: an unpriced model would count as a cost of 0 and inflate ROI.
 */
export function unpricedReason(model: string, config: Pick<Config, 'prices'>): string | null {
  try {
    findPrice(model, pricesFor(config))
    return null
  } catch {
    return `model "${model}" has no price: add it to LUNEO_PRICES (USD per 1M tokens, e.g. {"${model}":{"input":0.5,"output":1.5}}) or a "*" entry`
  }
}

/** Refuses to start with a configured remote model that has no price (chat and embeddings). */
function checkPriced(config: Config): void {
  if (!config.openai) return
  const models = [
    config.openai.model,
    ...(config.embeddings === 'openai' ? [config.openai.embeddingModel] : []),
  ]
  for (const model of models) {
    const reason = unpricedReason(model, config)
    if (reason) throw new Error(`LUNEO_OPENAI_MODEL / LUNEO_OPENAI_EMBEDDING_MODEL: ${reason}`)
  }
}

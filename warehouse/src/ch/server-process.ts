// ClickHouse as a process of its own, for fault tests that need "ClickHouse is gone": chDB (the
// ClickHouse engine, embedded) owning a data dir in this process, behind the part of ClickHouse's
// HTTP interface that @clickhouse/client speaks (POST / with the query in the body or in `query=`
// plus rows in the body, `param_*` bindings, settings as URL parameters, errors as
// `Code: N. DB::Exception: … (TYPE)` with a 500). No real ClickHouse server can be installed here
// (no registry ships its binary and libchdb has no server entry point), so this is the most honest
// stand-in: the engine, the parts on disk and the client's HTTP path are the real ones, and
// SIGKILL on this process is a server that is gone (connection refused) until it is started again
// on the same data dir and port.
//
//   node --import tsx warehouse/src/ch/server-process.ts <data dir> [port]   → `clickhouse-listening PORT`
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { mkdirSync } from 'node:fs'

interface ChdbConnection {
  exec(params: {
    query: string
    query_params?: Record<string, unknown>
    clickhouse_settings?: Record<string, unknown>
  }): Promise<{ stream: NodeJS.ReadableStream; summary?: unknown }>
}

// URL parameters that are not settings.
const NOT_SETTINGS = new Set(['query', 'query_id', 'database', 'session_id', 'role'])

// chDB keeps a session's settings (it applies them with SET): each request states these so one
// request's token or limit never binds the next (the same reason as openClickHouse's wrapper).
const RESET = { insert_deduplication_token: '', max_execution_time: 0, max_memory_usage: '0' }

async function readBody(req: IncomingMessage): Promise<string> {
  let body = ''
  for await (const chunk of req) body += (chunk as Buffer).toString('utf8')
  return body
}

async function handle(conn: ChdbConnection, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (url.pathname === '/ping') return void res.writeHead(200).end('Ok.\n')
  const body = req.method === 'POST' ? await readBody(req) : ''
  const inUrl = url.searchParams.get('query')
  // An insert carries its statement in the URL and its rows in the body; a query is the body.
  if (inUrl !== null && /^\s*INSERT\b/i.test(inUrl) && body.trim() === '')
    return void res.writeHead(200).end()
  const query = inUrl !== null ? `${inUrl}\n${body}` : body
  const params: Record<string, string> = {}
  const settings: Record<string, unknown> = { ...RESET }
  for (const [k, v] of url.searchParams) {
    if (k.startsWith('param_')) params[k.slice('param_'.length)] = v
    else if (!NOT_SETTINGS.has(k)) settings[k] = v
  }
  try {
    const r = await conn.exec({ query, query_params: params, clickhouse_settings: settings })
    const chunks: Buffer[] = []
    for await (const c of r.stream) chunks.push(Buffer.from(c as Buffer))
    res.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8' }).end(Buffer.concat(chunks))
  } catch (err) {
    // The client parses code, message and type back out of this text (parseError).
    const e = err as { code?: string; type?: string; message?: string; cause?: { message?: string } }
    const raw = e.cause?.message ?? ''
    const text = /Code: \d+/.test(raw)
      ? raw
      : `Code: ${e.code ?? 1000}. DB::Exception: ${e.message ?? String(err)} (${e.type ?? 'STD_EXCEPTION'})`
    res.writeHead(500, { 'x-clickhouse-exception-code': String(e.code ?? 1000) }).end(text)
  }
}

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2)
  if (!dataDir) throw new Error('usage: server-process.ts <data dir> [port]')
  mkdirSync(dataDir, { recursive: true })
  const chdb = (await import('chdb/connection')) as unknown as {
    createChdbConnection: (o: { path: string }) => ChdbConnection
  }
  const conn = chdb.createChdbConnection({ path: dataDir })
  const server = createServer((req, res) => {
    handle(conn, req, res).catch((err: unknown) => res.writeHead(500).end(String(err)))
  })
  server.listen(Number(port ?? 0), '127.0.0.1', () => {
    const address = server.address()
    console.log(`clickhouse-listening ${typeof address === 'object' && address ? address.port : port}`)
  })
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})

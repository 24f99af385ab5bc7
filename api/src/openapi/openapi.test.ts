import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { errorCatalogue, type ErrorCode } from '../errors.js'
import * as access from '../schemas/access.js'
import * as analytics from '../schemas/analytics.js'
import * as auth from '../schemas/auth.js'
import * as common from '../schemas/common.js'
import * as engine from '../schemas/engine.js'
import * as flywheel from '../schemas/flywheel.js'
import * as health from '../schemas/health.js'
import * as operator from '../schemas/operator.js'
import * as resources from '../schemas/resources.js'
import * as widget from '../widget/schemas.js'
import { CONTRACT_FILES, contractOf, type Contract } from './contract.js'
import { openRouteOnlyApp } from './route-only-app.js'

// The OpenAPI document is a product: clients are generated from the committed file. These checks
// walk the document the app builds; a stale committed file names the command that rewrites it.

interface Media {
  schema: { $ref?: string }
}
interface Response {
  description: string
  content?: Record<string, Media>
  'x-codes'?: ErrorCode[]
}
interface Operation {
  operationId?: string
  tags?: string[]
  security?: unknown[]
  parameters?: { in: string }[]
  requestBody?: { content: Record<string, Media> }
  responses: Record<string, Response>
}
interface Document {
  tags: { name: string }[]
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> }
}

const root = fileURLToPath(new URL('../../../', import.meta.url))
const SCHEMAS = '#/components/schemas/'

/** Served but not in the document, each for a reason. */
const HIDDEN = {
  'GET /api/v1/openapi.json': 'the document itself',
  'GET /metrics': 'Prometheus text for the scraper, not part of the client API',
  'GET /widget.js': 'the embeddable script, loaded by a <script> tag',
  'OPTIONS /widget/*': 'the widget’s CORS preflight, answered for browsers',
}

let app: FastifyInstance
let contract: Contract
let doc: Document
beforeAll(async () => {
  app = await openRouteOnlyApp()
  contract = await contractOf(app)
  doc = JSON.parse(contract.document) as Document
})
afterAll(async () => app?.close())

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
  )

describe('the committed contract', () => {
  it.each(Object.entries(CONTRACT_FILES) as [keyof Contract, string][])(
    '%s (%s) is up to date',
    (kind, file) => {
      const committed = readFileSync(join(root, file), 'utf8')
      // Compared as a boolean: a 300 kB diff would bury the one line that matters.
      expect(committed === contract[kind], `${file} is stale: run \`npm run openapi\` and commit it`).toBe(
        true,
      )
    },
  )

  it('is the document the app serves', async () => {
    const served = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
    expect(served.json()).toEqual(doc)
  })
})

describe('operations', () => {
  it('each has one readable operationId and a tag the document declares', () => {
    const ids = operations().map(({ op }) => op.operationId)
    expect(ids.length).toBeGreaterThan(60)
    for (const id of ids) expect(id).toMatch(/^[a-z]+[A-Z][A-Za-z]*$/)
    expect(new Set(ids).size).toBe(ids.length)
    const declared = new Set(doc.tags.map((t) => t.name))
    for (const { name, op } of operations()) {
      expect(op.tags?.length, name).toBeGreaterThan(0)
      for (const tag of op.tags ?? []) expect(declared.has(tag), `${name}: tag ${tag}`).toBe(true)
    }
  })

  it('covers every route the app serves, but those hidden on purpose', () => {
    const documented = operations().map(({ name }) => name.replace(/\{(\w+)\}/g, ':$1'))
    const served = app.routeTable.map((r) => `${r.method} ${r.url}`)
    expect(served.filter((r) => !documented.includes(r)).sort()).toEqual(Object.keys(HIDDEN).sort())
  })
})

describe('schemas', () => {
  it('request and response bodies are named components', () => {
    for (const { name, op } of operations()) {
      const media = [
        ...Object.values(op.requestBody?.content ?? {}),
        ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {})),
      ]
      for (const { schema } of media) {
        expect(Object.keys(schema), name).toEqual(['$ref'])
        expect(schema.$ref, name).toMatch(new RegExp(`^${SCHEMAS}[A-Z][A-Za-z]+$`))
      }
    }
  })

  it('every $ref resolves and every component is used', () => {
    const refs = new Set(
      [...contract.document.matchAll(/"\$ref": "#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]),
    )
    expect([...refs].sort()).toEqual(Object.keys(doc.components.schemas).sort())
  })

  it('each component name belongs to one schema (zod keeps the last one registered, silently)', () => {
    const modules = [access, analytics, auth, common, engine, flywheel, health, operator, resources, widget]
    const named = modules
      .flatMap((m) => Object.values(m))
      .filter((v): v is z.ZodType => v instanceof z.ZodType && z.globalRegistry.get(v)?.id !== undefined)
    for (const schema of named) {
      const id = z.globalRegistry.get(schema)!.id!
      expect(z.globalRegistry._idmap.get(id) === schema, `two schemas are named ${id}`).toBe(true)
    }
    expect(named.length).toBeGreaterThan(70)
  })

  it('types ROI and signals by the declared measures, nullable', () => {
    const { RoiTotals, RoiPoint, SignalTotals } = doc.components.schemas
    expect(RoiTotals?.required).toEqual([...analytics.ROI_MEASURES])
    expect(Object.keys(RoiPoint?.properties ?? {})).toEqual([
      'day',
      'week',
      'month',
      ...analytics.ROI_MEASURES,
    ])
    expect(SignalTotals?.required).toEqual([...analytics.SIGNAL_MEASURES])
    expect(RoiTotals?.properties?.net_roi).toMatchObject({ type: ['number', 'null'] })
  })
})

describe('problem responses', () => {
  it('every 4xx is problem+json with the Problem schema and lists codes of its status', () => {
    for (const { name, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue
        expect(response.content, `${name} ${status}`).toEqual({
          'application/problem+json': { schema: { $ref: `${SCHEMAS}Problem` } },
        })
        const codes = response['x-codes'] ?? []
        expect(codes.length, `${name} ${status}`).toBeGreaterThan(0)
        for (const code of codes) {
          expect(errorCatalogue[code].status, `${name}: ${code}`).toBe(Number(status))
          expect(response.description).toContain(`\`${code}\``)
        }
      }
    }
  })

  it('follow from access, parameters and body: 401 unless public, 404 with an id, 413 with a body', () => {
    for (const { name, op } of operations()) {
      const codes = Object.values(op.responses).flatMap((r) => r['x-codes'] ?? [])
      expect(codes, name).toContain('rate_limited')
      if (op.security?.length !== 0) expect(codes, name).toContain('unauthenticated')
      if (op.parameters?.some((p) => p.in === 'path')) expect(codes, name).toContain('not_found')
      if (op.requestBody)
        expect(codes, name).toEqual(expect.arrayContaining(['validation_failed', 'body_too_large']))
    }
  })
})

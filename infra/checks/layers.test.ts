import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findCycles } from './cycles.js'
import { checkLayers } from './layers.js'

describe('the layering check', () => {
  it('passes on this repository', () => {
    expect(checkLayers()).toEqual([])
  })

  const dir = mkdtempSync(join(tmpdir(), 'luneo-layers-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  const pkg = (name: string, deps: string[] = [], exports = { '.': './src/index.ts' }) =>
    JSON.stringify({ name, exports, dependencies: Object.fromEntries(deps.map((d) => [d, '^0.1.0'])) })

  it('finds an undeclared import, an upward import, a deep import, an escape and a cycle', () => {
    write('package.json', JSON.stringify({ workspaces: ['models', 'warehouse', 'ingest', 'api'] }))
    write('models/package.json', pkg('@luneo/models'))
    write('models/src/index.ts', 'export const m = 1\n')
    write('warehouse/package.json', pkg('@luneo/warehouse'))
    // warehouse may not import ingest (upward), and does not declare it either
    write('warehouse/src/index.ts', "import { i } from '@luneo/ingest'\nexport const w = i\n")
    write('ingest/package.json', pkg('@luneo/ingest', ['@luneo/warehouse']))
    // models is used but not declared; the warehouse internals are not an exported entry
    write(
      'ingest/src/index.ts',
      "import { m } from '@luneo/models'\nimport { w } from '@luneo/warehouse/src/index.js'\nexport const i = m + w\n",
    )
    write('api/package.json', pkg('@luneo/api', ['@luneo/ingest']))
    write('api/src/index.ts', "export * from './a.js'\n")
    // a ↔ b through a type-only import: still a cycle
    write('api/src/a.ts', "import type { B } from './b.js'\nexport interface A { b?: B }\n")
    write('api/src/b.ts', "import type { A } from './a.js'\nexport interface B { a?: A }\n")
    write('api/src/c.ts', "import { x } from '../../ingest/src/index.js'\nexport const c = x\n")
    const problems = checkLayers(dir)
    const has = (re: RegExp) =>
      expect(
        problems.some((p) => re.test(p)),
        `${re} in\n${problems.join('\n')}`,
      ).toBe(true)
    has(
      /warehouse\/src\/index\.ts: imports @luneo\/ingest, which @luneo\/warehouse\/package\.json does not declare/,
    )
    has(/warehouse\/src\/index\.ts: @luneo\/warehouse may not import @luneo\/ingest/)
    has(
      /ingest\/src\/index\.ts: imports @luneo\/models, which @luneo\/ingest\/package\.json does not declare/,
    )
    has(/'@luneo\/warehouse\/src\/index\.js' is not an entry @luneo\/warehouse exports/)
    has(/api\/src\/c\.ts: '\.\.\/\.\.\/ingest\/src\/index\.js' leaves @luneo\/api/)
    has(/import cycle in @luneo\/api: src\/a\.ts → src\/b\.ts/)
  })

  it('refuses any @luneo import in the dashboard, declared or not, even a type', () => {
    // A tree of its own: the one above holds a cycle in its api.
    const root = mkdtempSync(join(tmpdir(), 'luneo-layers-dashboard-'))
    const put = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true })
      writeFileSync(join(root, path), text)
    }
    put('package.json', JSON.stringify({ workspaces: ['api', 'dashboard'] }))
    put(
      'api/package.json',
      pkg('@luneo/api', [], { '.': './src/index.ts', './client': './src/client.ts' } as any),
    )
    put('api/src/index.ts', 'export const a = 1\n')
    put('api/src/client.ts', 'export interface paths { x: 1 }\n')
    put('dashboard/package.json', pkg('@luneo/dashboard', ['@luneo/api']))
    put('dashboard/src/page.tsx', "import type { paths } from '@luneo/api/client'\nexport type P = paths\n")
    const problems = checkLayers(root)
    rmSync(root, { recursive: true, force: true })
    expect(problems).toEqual([
      'dashboard/src/page.tsx: @luneo/dashboard speaks HTTP only and may not import @luneo/api',
    ])
  })
})

describe('findCycles', () => {
  it('reports each strongly connected component once, and self-imports', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
      ['f', ['d']],
    ])
    expect(findCycles(g)).toEqual([['a', 'b', 'c'], ['e']])
  })
  it('finds nothing in a tree', () => {
    expect(
      findCycles(
        new Map([
          ['a', ['b', 'c']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).toEqual([])
  })
})

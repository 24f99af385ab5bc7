// The layering check of `make check` (PostHog's boundary script, clickhouse-js' manifests):
//   1. a package imports another @luneo package only when its package.json declares it, only
//      downwards in the one-way order below, and only through an entry its `exports` names;
//   2. no relative import leaves its package (`../../warehouse/src/…`);
//   3. no import cycle inside a package (type-only imports count: they couple files just the same).
// Run: node --import tsx infra/checks/layers.ts   (exit 1 and a line per finding when broken)
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { findCycles } from './cycles.js'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** Lower ranks are imported by higher ones, never the reverse; equal ranks do not import each other. */
export const LAYERS: Record<string, number> = {
  '@luneo/models': 0,
  '@luneo/warehouse': 0,
  '@luneo/ingest': 1,
  '@luneo/pipelines': 2,
  '@luneo/api': 3,
  '@luneo/bench': 4,
  // Top of the order, and it imports none of the others: it speaks HTTP to the api (DESIGN.md).
  '@luneo/dashboard': 5,
}

/** Packages that may import no @luneo package at all, whatever their rank. */
export const HTTP_ONLY = new Set(['@luneo/dashboard'])

interface Pkg {
  name: string
  dir: string
  declared: Set<string>
  exports: Set<string>
}

function readPackages(root: string): Pkg[] {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces: string[]
  }
  return workspaces.map((w) => {
    const pj = JSON.parse(readFileSync(join(root, w, 'package.json'), 'utf8')) as {
      name: string
      dependencies?: Record<string, string>
      devDependencies?: Record<string, string>
      exports?: Record<string, string>
    }
    return {
      name: pj.name,
      dir: join(root, w),
      declared: new Set(Object.keys({ ...pj.dependencies, ...pj.devDependencies })),
      exports: new Set(Object.keys(pj.exports ?? { '.': '' })),
    }
  })
}

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path))
    else if (/\.(ts|tsx)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(path)
  }
  return out
}

/** Every module specifier a file imports or re-exports (static, type-only and dynamic). */
export function specifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName)
}

/** `../x.js` → the .ts/.tsx file it names (TypeScript's NodeNext convention). */
function resolveRelative(from: string, spec: string): string {
  const target = resolve(dirname(from), spec)
  for (const candidate of [target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx'), target]) {
    try {
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // try the next spelling
    }
  }
  return target
}

function checkPackage(root: string, pkg: Pkg, byName: Map<string, Pkg>): string[] {
  const problems: string[] = []
  const graph = new Map<string, string[]>()
  const rank = LAYERS[pkg.name]
  for (const file of sourceFiles(pkg.dir)) {
    const rel = relative(root, file)
    const edges: string[] = []
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = resolveRelative(file, spec)
        if (!target.startsWith(pkg.dir + '/')) problems.push(`${rel}: '${spec}' leaves ${pkg.name}`)
        else edges.push(target)
        continue
      }
      const m = /^(@luneo\/[^/]+)(\/.*)?$/.exec(spec)
      if (!m) continue
      const [, name, sub] = m as unknown as [string, string, string | undefined]
      const target = byName.get(name)
      if (!target) problems.push(`${rel}: imports unknown package ${name}`)
      else if (name !== pkg.name) {
        if (HTTP_ONLY.has(pkg.name))
          problems.push(`${rel}: ${pkg.name} speaks HTTP only and may not import ${name}`)
        if (!pkg.declared.has(name))
          problems.push(`${rel}: imports ${name}, which ${pkg.name}/package.json does not declare`)
        const theirs = LAYERS[name]
        if (rank === undefined || theirs === undefined || theirs >= rank)
          problems.push(`${rel}: ${pkg.name} may not import ${name} (layers: ${layerLine()})`)
      }
      // A front-door test may import its own package by name, but only through an entry it exports.
      if (target && !target.exports.has(sub ? `.${sub}` : '.'))
        problems.push(`${rel}: '${spec}' is not an entry ${name} exports (${[...target.exports].join(', ')})`)
    }
    graph.set(file, edges)
  }
  for (const cycle of findCycles(graph))
    problems.push(`import cycle in ${pkg.name}: ${cycle.map((f) => relative(pkg.dir, f)).join(' → ')}`)
  return problems
}

const layerLine = () =>
  Object.entries(LAYERS)
    .sort((a, b) => a[1] - b[1])
    .map(([n, r]) => `${r}:${n.replace('@luneo/', '')}`)
    .join(' ')

/** All findings across the workspace at `root`. */
export function checkLayers(root = repoRoot): string[] {
  const pkgs = readPackages(root)
  const byName = new Map(pkgs.map((p) => [p.name, p]))
  const problems = [...new Set(pkgs.flatMap((p) => checkPackage(root, p, byName)))]
  for (const p of pkgs)
    if (LAYERS[p.name] === undefined) problems.push(`${p.name} has no layer in infra/checks/layers.ts`)
  return problems
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = checkLayers()
  for (const p of problems) console.error(`layers: ${p}`)
  if (problems.length) process.exit(1)
  console.log(`layers: ${Object.keys(LAYERS).length} packages, one-way imports, no cycles`)
}

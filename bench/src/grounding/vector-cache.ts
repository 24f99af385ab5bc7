// Vectors of the calibration's texts, kept between runs in .tmp/grounding-vectors (gitignored):
// embedding ~30k data-set texts with bge-small takes ~1.5 min on one core, the fit a few seconds.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Embedder } from '@luneo/models'
import { repoRoot } from '../spawn-server.js'

const DIR = join(repoRoot, '.tmp', 'grounding-vectors')

const keyOf = (text: string) => createHash('sha1').update(text).digest('base64url').slice(0, 20)

/** Embeds what the cache lacks (batches of 256, progress on stderr) and returns every text's vector. */
export async function cachedVectors(
  embedder: Embedder,
  texts: readonly string[],
): Promise<Map<string, Float32Array>> {
  mkdirSync(DIR, { recursive: true })
  const base = join(DIR, embedder.id.replace(/[^a-zA-Z0-9-]/g, '_'))
  const keys: string[] = existsSync(`${base}.keys.json`)
    ? (JSON.parse(readFileSync(`${base}.keys.json`, 'utf8')) as string[])
    : []
  const stored = existsSync(`${base}.f32`)
    ? new Float32Array(readFileSync(`${base}.f32`).buffer.slice(0))
    : new Float32Array()
  const d = embedder.dimension
  const index = new Map(keys.map((k, i) => [k, i]))
  const todo = [...new Set(texts)].filter((t) => !index.has(keyOf(t)))
  const added: number[][] = []
  const t0 = performance.now()
  for (let i = 0; i < todo.length; i += 256) {
    added.push(...(await embedder.embed(todo.slice(i, i + 256))))
    console.error(
      `[calibrate] embedded ${Math.min(i + 256, todo.length)}/${todo.length} texts, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    )
  }
  const all = new Float32Array(stored.length + added.length * d)
  all.set(stored)
  added.forEach((v, i) => all.set(v, stored.length + i * d))
  todo.forEach((t) => index.set(keyOf(t), index.size))
  if (todo.length > 0) {
    writeFileSync(`${base}.keys.json`, JSON.stringify([...index.keys()]))
    writeFileSync(`${base}.f32`, Buffer.from(all.buffer))
  }
  return new Map(
    texts.map((t) => {
      const i = index.get(keyOf(t))!
      return [t, all.subarray(i * d, (i + 1) * d)]
    }),
  )
}

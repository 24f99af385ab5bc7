/**
 * Agglomerative clustering, average linkage (UPGMA), on cosine distance, cut at a distance
 * threshold: no preset number of clusters. Pure; O(n²) time and memory through the
 * nearest-neighbour chain (Murtagh 1983), valid because average linkage is reducible, so the
 * merges below the threshold are exactly those of the full dendrogram cut at that height.
 */

/** Cosine distance = 1 − cosine similarity, with vectors normalised here once. */
export function unit(v: readonly number[]): number[] {
  let n = 0
  for (const x of v) n += x * x
  const len = Math.sqrt(n)
  return len === 0 ? v.map(() => 0) : v.map((x) => x / len)
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

export interface Merge {
  a: number
  b: number
  distance: number
}

/** The full dendrogram (n − 1 merges, as pairs of point indices representing their clusters). */
export function averageLinkageMerges(vectors: readonly (readonly number[])[]): Merge[] {
  const n = vectors.length
  const units = vectors.map(unit)
  const d = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      // A zero vector (empty text) is at distance 1 from everything.
      const dist = 1 - dot(units[i]!, units[j]!)
      d[i * n + j] = dist
      d[j * n + i] = dist
    }
  const size = new Array<number>(n).fill(1)
  const active = new Set<number>(Array.from({ length: n }, (_, i) => i))
  const merges: Merge[] = []
  const chain: number[] = []
  while (active.size > 1) {
    if (chain.length === 0) chain.push(active.values().next().value!)
    const top = chain[chain.length - 1]!
    const prev = chain.length > 1 ? chain[chain.length - 2]! : -1
    // Nearest active neighbour of `top`; prefer `prev` on ties so the chain terminates.
    let best = -1
    let bestD = Infinity
    for (const k of active) {
      if (k === top) continue
      const dk = d[top * n + k]!
      if (dk < bestD || (dk === bestD && k === prev)) {
        bestD = dk
        best = k
      }
    }
    if (best !== prev) {
      chain.push(best)
      continue
    }
    // top and prev are reciprocal nearest neighbours: merge prev into top (Lance–Williams update).
    chain.pop()
    chain.pop()
    merges.push({ a: top, b: prev, distance: bestD })
    const st = size[top]!
    const sp = size[prev]!
    active.delete(prev)
    for (const k of active) {
      if (k === top) continue
      const v = (st * d[top * n + k]! + sp * d[prev * n + k]!) / (st + sp)
      d[top * n + k] = v
      d[k * n + top] = v
    }
    size[top] = st + sp
  }
  return merges
}

/**
 * Clusters (lists of point indices) of the dendrogram cut at `maxDistance`: two points share a
 * cluster when their groups' average cosine distance is ≤ maxDistance. Largest clusters first;
 * within a cluster, indices ascend.
 */
export function clusterByThreshold(vectors: readonly (readonly number[])[], maxDistance: number): number[][] {
  const n = vectors.length
  const parent = Array.from({ length: n }, (_, i) => i)
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!
      x = parent[x]!
    }
    return x
  }
  for (const m of averageLinkageMerges(vectors)) if (m.distance <= maxDistance) parent[find(m.b)] = find(m.a)
  const groups = new Map<number, number[]>()
  for (let i = 0; i < n; i++) {
    const root = find(i)
    const g = groups.get(root) ?? []
    g.push(i)
    groups.set(root, g)
  }
  return [...groups.values()].sort((x, y) => y.length - x.length || x[0]! - y[0]!)
}

/** The sum of unit vectors in `dim` dimensions: a group's direction and, over its count, its cohesion. */
export function unitSum(vectors: readonly (readonly number[])[], dim = vectors[0]?.length ?? 0): number[] {
  const sum = new Array<number>(dim).fill(0)
  for (const v of vectors.map(unit)) for (let i = 0; i < dim; i++) sum[i]! += v[i] ?? 0
  return sum
}

/** The normalised mean of unit vectors (a cluster's direction). */
export function centroid(vectors: readonly (readonly number[])[]): number[] {
  return unit(unitSum(vectors))
}

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  return dot(unit(a), unit(b))
}

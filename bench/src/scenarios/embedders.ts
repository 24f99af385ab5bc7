// Embedding cost per embedder, in the driver process (the API embeds in-process too): one customer
// message at a time, as a turn does, and knowledge indexing, chunks in per-document batches as
// the knowledge index sends them (Chroma's own time excluded: it is the same for both).
// Alone: `node --import tsx bench/src/scenarios/embedders.ts` (~30 s on 2 cores).
import { pathToFileURL } from 'node:url'
import {
  chunkText,
  createLocalEmbedder,
  createBgeSmallEmbedder,
  hasBgeSmallModel,
  loadTemplates,
  templateExamples,
  type Embedder,
} from '@luneo/models'
import { openFigures } from '../results.js'
import { runDriver } from '../spawn-server.js'
import { engineQuestions } from './engine-messages.js'

type Emit = (name: string, value: number, unit: string) => void

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!

/** Every vertical's intent examples and the engine bench's questions: short, real-shaped messages. */
function customerMessages(): string[] {
  const templates = [...loadTemplates().values()]
  return [...engineQuestions, ...templates.flatMap((t) => templateExamples(t).map((e) => e.text))]
}

/** Every vertical's starter knowledge, chunked as the API chunks documents (title + chunk text). */
function knowledgeDocuments(): string[][] {
  return [...loadTemplates().values()].flatMap((t) =>
    t.defaultKnowledge.map((d) => chunkText(d.text).map((c) => `${d.title}\n${c}`)),
  )
}

async function measureOne(name: string, embedder: Embedder, emit: Emit, messageCount: number): Promise<void> {
  const messages = customerMessages()
  for (const m of messages.slice(0, 20)) await embedder.embed([m]) // warm-up
  const ms: number[] = []
  for (let i = 0; i < messageCount; i++) {
    const t0 = performance.now()
    await embedder.embed([messages[i % messages.length]!])
    ms.push(performance.now() - t0)
  }
  ms.sort((a, b) => a - b)
  emit(`embed_${name}_message_p50_ms`, percentile(ms, 0.5), 'ms')
  emit(`embed_${name}_message_p95_ms`, percentile(ms, 0.95), 'ms')

  const docs = knowledgeDocuments()
  let chunks = 0
  const t0 = performance.now()
  // Whole passes over the starter knowledge until 3 s have gone by.
  while (performance.now() - t0 < 3000)
    for (const doc of docs) {
      await embedder.embed(doc)
      chunks += doc.length
    }
  emit(`embed_${name}_index_chunks_per_sec`, chunks / ((performance.now() - t0) / 1000), 'chunks/s')
}

/** `embed_<hashing|bge>_*`: ms per message (p50, p95), chunks indexed per second; bge-small load and memory. */
export async function measureEmbedders(emit: Emit, messageCount = 500): Promise<void> {
  await measureOne('hashing', createLocalEmbedder(), emit, messageCount)
  if (!hasBgeSmallModel()) {
    console.error('[bench] embedders: bge-small model absent (make install fetches it); hashing only')
    return
  }
  const rss0 = process.memoryUsage().rss
  const t0 = performance.now()
  const bge = await createBgeSmallEmbedder()
  emit('embed_bge_load_ms', performance.now() - t0, 'ms')
  try {
    await measureOne('bge', bge, emit, messageCount)
    emit('embed_bge_rss_mb', (process.memoryUsage().rss - rss0) / 2 ** 20, 'MB')
  } finally {
    await bge.close?.()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDriver('[bench] embedders', async () => {
    const out = openFigures()
    await measureEmbedders((name, value, unit) => out.emit(name, value, unit))
  })
}

import { describe, expect, it } from 'vitest'
import { hasBgeSmallModel } from '@luneo/models'
import { loadConfig } from '../config.js'
import { createEmbedder } from './ai.js'

const config = (extra: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', ...extra })

describe('the retrieval embedder from LUNEO_EMBEDDINGS', () => {
  it('local without the model files: the hashing embedder, and one line saying why and how to install', async () => {
    const lines: string[] = []
    const embedder = await createEmbedder(
      config({ LUNEO_EMBEDDING_MODEL_DIR: '/nonexistent/bge-small' }),
      (line) => lines.push(line),
    )
    expect(embedder.id).toBe('local-hash-v1-512')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/not found in \/nonexistent\/bge-small.*hashing.*make install/)
  })

  it('hashing: the lexical embedder, silently', async () => {
    const lines: string[] = []
    expect((await createEmbedder(config({ LUNEO_EMBEDDINGS: 'hashing' }), (l) => lines.push(l))).id).toBe(
      'local-hash-v1-512',
    )
    expect(lines).toEqual([])
  })

  it.skipIf(!hasBgeSmallModel())(
    'local with the model installed: bge-small, with its own grounding threshold',
    async () => {
      const embedder = await createEmbedder(config(), () => undefined)
      try {
        expect(embedder.id).toMatch(/^bge-small-en-v1\.5-int8:/)
        expect(embedder.dimension).toBe(384)
        expect(config().minGroundingScore).toBeUndefined()
        expect(embedder.grounding.threshold).not.toBe(0.35)
      } finally {
        await embedder.close?.()
      }
    },
  )

  it('LUNEO_MIN_GROUNDING_SCORE still overrides, and an unknown value is refused', () => {
    expect(config({ LUNEO_MIN_GROUNDING_SCORE: '0.5' }).minGroundingScore).toBe(0.5)
    expect(() => config({ LUNEO_EMBEDDINGS: 'bge-small' })).toThrow()
  })
})

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrateClickHouse, openClickHouse } from '@luneo/warehouse'
import { KafkaSink, createClickHouseSink, createDeadLetterWriter, createKafkaPublisher, ensureEventTopics, eventRegistry, openKafka, parseBrokers } from '@luneo/ingest'
import { generateEvents } from '@luneo/ingest/testing'
const conc = Number(process.argv[2] ?? 1)
const client = (process.argv[3] ?? "kafkajs") as any
const ch = await openClickHouse({ dataDir: mkdtempSync(join(tmpdir(), 'ph-')) })
await migrateClickHouse(ch.ch)
const kafka = openKafka({ brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: "ph", logLevel: "error", client })
const events = generateEvents({ total: 50000, organizations: 5, conversationsPerOrg: 200 }).events
const topic = `ph-${Date.now()}`
await ensureEventTopics(kafka, topic, 6)
const producer = await kafka.producer()
const pub = createKafkaPublisher(producer, topic)
let t = performance.now()
for (let i = 0; i < events.length; i += 2000) await pub.publish(events.slice(i, i + 2000))
console.log('produce ev/s', (events.length / ((performance.now() - t) / 1000)).toFixed(0))
const w = createClickHouseSink(ch.ch)
const tm = { decode: 0, write: 0, batches: 0, sizes: [] as number[] }
const writer = { ...w, publishFromStream: async (items: any) => { const t0 = performance.now(); await w.publishFromStream(items); tm.write += performance.now() - t0; tm.batches++; tm.sizes.push(items.length) } }
const registry = { ...eventRegistry, decode: (raw: unknown) => { const t0 = performance.now(); const d = eventRegistry.decode(raw); tm.decode += performance.now() - t0; return d } }
const sink = new KafkaSink(kafka, writer, createDeadLetterWriter(ch.ch, producer, `${topic}.dlq`), { topic, groupId: `g-${topic}`, sessionTimeoutMs: 6000, partitionsConsumedConcurrently: conc, registry })
let t0 = 0
await sink.start()
while (w.insertedTotal() < 1) await new Promise((r) => setTimeout(r, 5))
t0 = performance.now(); const n0 = w.insertedTotal(); const c0 = process.cpuUsage()
while (w.insertedTotal() < events.length) await new Promise((r) => setTimeout(r, 5))
const sec = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(c0)
console.log('sink ev/s', ((events.length - n0) / sec).toFixed(0), 'wall', sec.toFixed(2), 'cpu user+sys s', ((cpu.user + cpu.system) / 1e6).toFixed(2), 'decode s', (tm.decode / 1000).toFixed(2), 'write s', (tm.write / 1000).toFixed(2), 'batches', tm.batches, 'sizes', tm.sizes.slice(0, 12).join(','))
await sink.stop(); await producer.disconnect(); await kafka.close(); await ch.close(); process.exit(0)

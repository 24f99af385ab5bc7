// The admin half of our kafkajs seam (kafka.ts): topics, offsets, consumer groups.
import type { Admin, ConfigResourceTypes } from 'kafkajs'
import { classifyKnownError, describeError } from '../errors/classify.js'

// kafkajs' ConfigResourceTypes.TOPIC: its enum is not a named export Node's ESM loader sees in
// the CommonJS build, so the value is written here (Kafka protocol resource type 2 = topic).
const TOPIC = 2 as ConfigResourceTypes

export interface KafkaAdmin {
  /**
   * Creates the topic when missing and resolves once every partition has a leader that answers
   * for it (a fresh broker answers UNKNOWN_TOPIC_OR_PARTITION for a moment after creating it).
   * An existing topic is left as it is (adding partitions would move keys to other partitions
   * and break per-key order); its partition count is returned. Fails after `timeoutMs`
   * (default 30 s) with the last error, or at once on an error not known to be transient.
   */
  ensureTopic(
    name: string,
    partitions: number,
    options?: { timeoutMs?: number },
  ): Promise<{ created: boolean; partitions: number }>
  /** The topic's retention.ms as the broker reports it. */
  topicRetentionMs(name: string): Promise<number>
  /**
   * Sets the topic's retention.ms when it differs (an existing topic, or one an operator
   * changed), then reads it back and returns what the broker reports.
   */
  ensureRetention(name: string, retentionMs: number): Promise<number>
  /** Messages in `topic` not yet committed by `groupId`, summed over partitions. */
  consumerLag(groupId: string, topic: string): Promise<number>
  /** The same, per partition. */
  consumerLagByPartition(groupId: string, topic: string): Promise<PartitionOffset[]>
  /** Each partition's next offset to be written (the high watermark). */
  endOffsets(topic: string): Promise<PartitionOffset[]>
  /** Each partition's offset `groupId` committed ('-1' when none yet). */
  committedOffsets(groupId: string, topic: string): Promise<PartitionOffset[]>
  /**
   * Per partition, the earliest offset whose timestamp is at or after `at` (the high watermark
   * when nothing is that recent), as `kafka-consumer-groups --reset-offsets --to-datetime` does.
   */
  offsetsForTime(topic: string, at: Date): Promise<PartitionOffset[]>
  /** Sets a group's committed offsets; the group must have no running member. */
  setGroupOffsets(groupId: string, topic: string, offsets: PartitionOffset[]): Promise<void>
  deleteGroup(groupId: string): Promise<void>
  deleteTopic(name: string): Promise<void>
}

export interface PartitionOffset {
  partition: number
  /** An offset (or a lag) as a decimal string: Kafka offsets are 64-bit. */
  offset: string
}

/** An admin over a lazily connected kafkajs Admin. */
export function createAdmin(connected: () => Promise<Admin>): KafkaAdmin {
  return {
    async ensureTopic(name, partitions, { timeoutMs = 30_000 } = {}) {
      const a = await connected()
      const deadline = Date.now() + timeoutMs
      const wait = { deadline, timeoutMs }
      const created = await untilDeadline(`creating topic ${name}`, wait, () =>
        createIfMissing(a, name, partitions),
      )
      const count = await untilDeadline(`topic ${name} to have a leader for every partition`, wait, () =>
        servedPartitions(a, name),
      )
      return { created, partitions: count }
    },
    async topicRetentionMs(name) {
      return retentionOf(await connected(), name)
    },
    async ensureRetention(name, retentionMs) {
      const a = await connected()
      if ((await retentionOf(a, name)) !== retentionMs) {
        // AlterConfigs replaces the topic's dynamic configs with those given: retention.ms is
        // the only one we set on our topics.
        await a.alterConfigs({
          validateOnly: false,
          resources: [
            {
              type: TOPIC,
              name,
              configEntries: [{ name: 'retention.ms', value: String(retentionMs) }],
            },
          ],
        })
      }
      return retentionOf(a, name)
    },
    async consumerLag(groupId, topic) {
      const lags = await lagByPartition(await connected(), groupId, topic)
      return lags.reduce((sum, p) => sum + Number(p.offset), 0)
    },
    async consumerLagByPartition(groupId, topic) {
      return lagByPartition(await connected(), groupId, topic)
    },
    async endOffsets(topic) {
      const ends = await (await connected()).fetchTopicOffsets(topic)
      return ends
        .map((e) => ({ partition: e.partition, offset: e.high }))
        .sort((a, b) => a.partition - b.partition)
    },
    async committedOffsets(groupId, topic) {
      const committed = await (await connected()).fetchOffsets({ groupId, topics: [topic] })
      return (committed[0]?.partitions ?? [])
        .map((p) => ({ partition: p.partition, offset: p.offset }))
        .sort((a, b) => a.partition - b.partition)
    },
    async offsetsForTime(topic, at) {
      const a = await connected()
      const [found, ends] = await Promise.all([
        a.fetchTopicOffsetsByTimestamp(topic, at.getTime()),
        a.fetchTopicOffsets(topic),
      ])
      const high = new Map(ends.map((e) => [e.partition, e.high]))
      // kafkajs reports -1 for a partition with no message at or after the time: start at its end.
      return found
        .map((p) => ({
          partition: p.partition,
          offset: p.offset === '-1' ? (high.get(p.partition) ?? '0') : p.offset,
        }))
        .sort((x, y) => x.partition - y.partition)
    },
    async setGroupOffsets(groupId, topic, offsets) {
      await (await connected()).setOffsets({ groupId, topic, partitions: offsets })
    },
    async deleteGroup(groupId) {
      await (await connected()).deleteGroups([groupId])
    },
    async deleteTopic(name) {
      const a = await connected()
      await a.deleteTopics({ topics: [name] })
    },
  }
}

/** True when it created the topic; false when it was there (or appeared meanwhile). */
async function createIfMissing(a: Admin, name: string, partitions: number): Promise<boolean> {
  // Look first: kafkajs logs TOPIC_ALREADY_EXISTS at ERROR level even though it handles it.
  if ((await a.listTopics()).includes(name)) return false
  // Not waitForLeaders: kafkajs then retries only LEADER_NOT_AVAILABLE and gives up on the
  // UNKNOWN_TOPIC_OR_PARTITION a broker answers until its metadata cache has the new topic.
  return a.createTopics({
    topics: [{ topic: name, numPartitions: partitions }],
    waitForLeaders: false,
  })
}

/** retention.ms of a topic, as the broker describes it (its own or the broker's default). */
async function retentionOf(a: Admin, name: string): Promise<number> {
  const d = await a.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: TOPIC, name, configNames: ['retention.ms'] }],
  })
  const value = d.resources[0]?.configEntries.find((e) => e.configName === 'retention.ms')?.configValue
  if (value === undefined) throw new Error(`the broker did not describe retention.ms of ${name}`)
  return Number(value)
}

/**
 * The partition count once every partition has a leader and its leader answers a ListOffsets
 * for it (what producers and consumers ask next); undefined while it does not yet.
 */
async function servedPartitions(a: Admin, name: string): Promise<number | undefined> {
  const meta = await a.fetchTopicMetadata({ topics: [name] })
  const parts = meta.topics[0]?.partitions ?? []
  if (parts.length === 0 || parts.some((p) => p.leader < 0 || p.partitionErrorCode !== 0)) return undefined
  await a.fetchTopicOffsets(name)
  return parts.length
}

/**
 * Calls `attempt` until it returns a value, again after `undefined` or a known-transient error
 * (kafkajs' retriable ones, a refused connection), 100 ms doubling to 1 s apart. Any other error
 * is thrown at once; at the deadline it fails with what it waited for and the last answer.
 */
async function untilDeadline<T>(
  what: string,
  { deadline, timeoutMs }: { deadline: number; timeoutMs: number },
  attempt: () => Promise<T | undefined>,
): Promise<T> {
  let delay = 100
  let last = 'not ready'
  for (;;) {
    try {
      const value = await attempt()
      if (value !== undefined) return value
    } catch (err) {
      if (classifyKnownError(err) !== 'retry') throw err
      last = describeError(err)
    }
    if (Date.now() + delay > deadline) {
      throw new Error(`gave up waiting for ${what} (deadline ${timeoutMs} ms); last answer: ${last}`)
    }
    await new Promise((r) => setTimeout(r, delay))
    delay = Math.min(delay * 2, 1_000)
  }
}

async function lagByPartition(a: Admin, groupId: string, topic: string): Promise<PartitionOffset[]> {
  const [ends, committed] = await Promise.all([
    a.fetchTopicOffsets(topic),
    a.fetchOffsets({ groupId, topics: [topic] }),
  ])
  const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]))
  return ends
    .map((end) => {
      const at = done.get(end.partition) ?? -1n
      // -1 = nothing committed yet: everything from the low watermark on is pending.
      const lag = at < 0n ? BigInt(end.high) - BigInt(end.low) : BigInt(end.high) - at
      return { partition: end.partition, offset: lag.toString() }
    })
    .sort((x, y) => x.partition - y.partition)
}

import { outboxHighSeq, pendingOutboxUpTo, type Db } from '@luneo/warehouse'
import type { KafkaAdmin, PartitionOffset } from '../kafka/admin.js'

/**
 * "Has every event committed before now reached ClickHouse?" — what POST /analytics/refresh waits
 * on before it runs the jobs (issue 12: a refresh under load computed over a partial window).
 *
 * The outbox's `seq` is assigned at insert, so every row committed before a moment has a seq at or
 * below the largest one visible then (a transaction still open then may hold a smaller seq; it was
 * not committed before the moment, so it is not owed). Once none of the organization's rows up to
 * that seq is unpublished:
 * - with the embedded drainer (in this process or another replica), published means written to
 *   ClickHouse: the drainer marks a row only after the insert returned;
 * - with the Kafka relay, published means in the topic; the sink group's committed offsets passing
 *   the topic's end offsets read *after* that point prove the rest (the sink commits a batch only
 *   after it is in ClickHouse or the dead-letter table).
 */
export interface CoverageMark {
  /** The newest outbox seq visible at the call ('0' on an empty outbox). */
  seq: string
  at: Date
}

export interface Coverage {
  /** Every event of the organization committed before the mark was in ClickHouse in time. */
  complete: boolean
  /** What had not caught up at the deadline: the outbox (drainer/relay) or the Kafka sink. */
  waitingOn: 'outbox' | 'stream' | null
  /** The organization's rows up to the mark still in the outbox at the deadline (0 past that stage). */
  pendingEvents: number
  waitedMs: number
}

/** The stream stage, present when events go outbox → Kafka → sink rather than straight to ClickHouse. */
export interface StreamProgress {
  /** Each partition's end offset now. */
  endOffsets(): Promise<PartitionOffset[]>
  /** Each partition's offset the sink group committed (after writing to ClickHouse). */
  committedOffsets(): Promise<PartitionOffset[]>
}

export interface WaitOptions {
  /** Give up at this instant (Date.now() scale) and report what was still missing. */
  deadline: number
  /** Between checks; each check is one indexed query (or two Kafka admin calls). */
  pollMs?: number
  /** Wakes the drainer between checks so it does not sleep its idle interval first. */
  nudge?: () => void
  stream?: StreamProgress | undefined
  /** A broker error while asking the stream's offsets (the check counts as not caught up). */
  onError?: ((err: unknown) => void) | undefined
}

/** The point a refresh must cover: the newest committed outbox row. */
export async function outboxMark(db: Db): Promise<CoverageMark> {
  return { seq: (await outboxHighSeq(db)) ?? '0', at: new Date() }
}

/**
 * Waits until the organization's events up to `mark` are in ClickHouse, or the deadline passes.
 * Never throws for lateness: the caller runs anyway and reports the returned coverage.
 */
export async function waitForCoverage(
  db: Db,
  organizationId: string,
  mark: CoverageMark,
  options: WaitOptions,
): Promise<Coverage> {
  const pollMs = options.pollMs ?? 50
  const started = Date.now()
  const done = (c: Omit<Coverage, 'waitedMs'>): Coverage => ({ ...c, waitedMs: Date.now() - started })
  const pause = () => new Promise((r) => setTimeout(r, pollMs))
  for (;;) {
    const pending = await pendingOutboxUpTo(db, organizationId, mark.seq)
    if (pending === 0) break
    if (Date.now() + pollMs > options.deadline)
      return done({ complete: false, waitingOn: 'outbox', pendingEvents: pending })
    options.nudge?.()
    await pause()
  }
  if (!options.stream) return done({ complete: true, waitingOn: null, pendingEvents: 0 })
  const stream = options.stream
  // Read after every row up to the mark was published: each of them sits below these offsets.
  let target: PartitionOffset[] | null = null
  for (;;) {
    // A broker that does not answer cannot confirm anything: keep asking until the deadline, then
    // report the stream as behind (the refresh still runs; it is the caller's answer, not a 5xx).
    let caughtUp = false
    try {
      target ??= await stream.endOffsets()
      caughtUp = reached(await stream.committedOffsets(), target)
    } catch (err) {
      options.onError?.(err)
    }
    if (caughtUp) return done({ complete: true, waitingOn: null, pendingEvents: 0 })
    if (Date.now() + pollMs > options.deadline)
      return done({ complete: false, waitingOn: 'stream', pendingEvents: 0 })
    await pause()
  }
}

/** True when every partition's committed offset is at or past its target. */
function reached(committed: PartitionOffset[], target: PartitionOffset[]): boolean {
  const at = new Map(committed.map((p) => [p.partition, BigInt(p.offset)]))
  // A partition with nothing written needs nothing committed (its end is 0).
  return target.every((t) => BigInt(t.offset) === 0n || (at.get(t.partition) ?? -1n) >= BigInt(t.offset))
}

/** The stream stage over the Kafka admin: the events topic's ends and the sink group's commits. */
export function kafkaStreamProgress(admin: KafkaAdmin, topic: string, groupId: string): StreamProgress {
  return {
    endOffsets: () => admin.endOffsets(topic),
    committedOffsets: () => admin.committedOffsets(groupId, topic),
  }
}

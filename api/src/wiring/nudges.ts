interface Nudgeable {
  nudge(): void
}

export interface CommitNudges {
  /** Events committed outside a turn (a conversation opened, feedback, an outcome): the drainer moves them. */
  onEventsCommitted: () => void
  /** A turn committed: its events, and an escalation webhook when it queued one. */
  onTurnCommitted: () => void
}

/**
 * Who to wake after a commit, so work leaves without waiting for a poll. Only a turn queues a
 * webhook (an escalation, orchestrator/steps/commit.ts), so only a turn wakes the webhook
 * dispatcher: under load, every POST /conversations woke it, and it ran its due-deliveries query
 * (planned each time) once per round trip for nothing (bench/README.md, "The write path").
 */
export function commitNudges(drainer: Nudgeable | null, webhooks: Nudgeable | null): CommitNudges {
  return {
    onEventsCommitted: () => drainer?.nudge(),
    onTurnCommitted: () => {
      drainer?.nudge()
      webhooks?.nudge()
    },
  }
}

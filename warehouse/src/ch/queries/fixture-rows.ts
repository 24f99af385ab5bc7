// Rows for the pipelines' marts, for tests that seed ClickHouse: every column a query reads has a
// plain default, and a test states only what it is about. Exported by @luneo/warehouse/testing.
import { newId } from '../../ids.js'
import { chDateTime } from '../time.js'

export const FIXTURE_TIME = Date.UTC(2025, 0, 15, 12)

/** A conversation_outcomes_v1 row: a closed, unresolved api conversation started at `at`. */
export function outcomeRow(at: number, o: Record<string, unknown> = {}) {
  return {
    organization_id: newId(),
    started_at: chDateTime(at),
    conversation_id: newId(),
    agent_id: newId(),
    vertical: 'ecommerce',
    channel: 'api',
    intent: 'order_status',
    experiment_id: null,
    variant_id: null,
    last_activity_at: chDateTime(at),
    status: 'abandoned',
    handoff_reason: '',
    closed: 1,
    confirmed: 0,
    resolved: 0,
    handed_off: 0,
    csat: null,
    computed_at: chDateTime(FIXTURE_TIME),
    ...o,
  }
}

/** A reply_signals_v1 row: an answered reply sent at `at`. */
export function replySignalRow(at: number, r: Record<string, unknown> = {}) {
  return {
    organization_id: newId(),
    replied_at: chDateTime(at),
    reply_id: newId(),
    message_id: newId(),
    conversation_id: newId(),
    agent_id: newId(),
    vertical: 'ecommerce',
    channel: 'api',
    intent: 'order_status',
    question: 'where is my order?',
    unanswered: 0,
    negative_feedback: 0,
    escalated_after: 0,
    computed_at: chDateTime(FIXTURE_TIME),
    ...r,
  }
}

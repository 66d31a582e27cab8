/**
 * Table types of migration 0003 (webhook events and stage exceptions), for ./schema.ts.
 * Same conventions: ISO-8601 UTC text timestamps, JSON as text, bigint portal ids.
 */
import type { BigintColumn } from './schema.js';

/** One received HubSpot webhook event: the dedupe key (portal_id, event_id) and the work item. */
export interface WebhookEventsTable {
  portal_id: BigintColumn;
  /** HubSpot's eventId, digits as text (int64 range). */
  event_id: string;
  subscription_type: string;
  object_id: string;
  object_type_id: string | null;
  property_name: string | null;
  property_value: string | null;
  occurred_at: string;
  received_at: string;
  /** 'pending' | 'processing' | 'done' | 'failed' (CHECK constraint). */
  status: string;
  attempts: number;
  /** When a pending event is due, or when a processing lease expires. */
  available_at: string;
  lease_token: string | null;
  last_error: string | null;
}

/** One stage left with unmet required criteria. */
export interface StageExceptionsTable {
  portal_id: BigintColumn;
  deal_id: string;
  from_stage_id: string;
  to_stage_id: string;
  /** JSON array of criterion ids. */
  criterion_ids: string;
  occurred_at: string;
  recorded_at: string;
  /** The deal owner at the exit (migration 0006); null for rows recorded before it or unowned deals. */
  owner_id: string | null;
}

/**
 * Display names of the metrics and formats the settings offer. Records keyed by the contracts' types:
 * the typecheck fails when a metric or format is added to the contracts and not here (the page
 * imports only types from the contracts, so the lists cannot be imported as values).
 */
import type { CountMetric, RuleMetric, TrainingModule } from '@pillars/contracts';

export const COUNT_METRIC_LABELS: Record<CountMetric, string> = {
  dials: 'Dials',
  connects: 'Connects',
  talkTimeMs: 'Talk time (ms)',
  inboundCalls: 'Inbound calls',
  emailsSent: 'Emails sent',
  emailsReceived: 'Emails received',
  meetingsBooked: 'Meetings booked',
  meetingsScheduled: 'Meetings scheduled',
  meetingsHeld: 'Meetings held',
  meetingsNoShow: 'Meeting no-shows',
  meetingsCanceled: 'Meetings canceled',
  notes: 'Notes',
  tasksCompleted: 'Tasks completed',
  dealsCreated: 'Deals created',
  dealsWon: 'Deals won',
  dealsLost: 'Deals lost',
  wonAmount: 'Won amount',
};
export const COUNT_METRICS = Object.keys(COUNT_METRIC_LABELS) as CountMetric[];

export const RULE_METRIC_LABELS: Record<RuleMetric, string> = {
  ...COUNT_METRIC_LABELS,
  connectRate: 'Connect rate',
  meetingHeldRate: 'Meeting held rate',
  winRate: 'Win rate',
  bookingRate: 'Booking rate',
  dealCreationRate: 'Deal creation rate',
};
export const RULE_METRICS = Object.keys(RULE_METRIC_LABELS) as RuleMetric[];

export type ModuleFormat = TrainingModule['format'];
export const FORMAT_LABELS: Record<ModuleFormat, string> = {
  video: 'Video',
  article: 'Article',
  course: 'Course',
  roleplay: 'Role-play',
  workshop: 'Workshop',
  quiz: 'Quiz',
};
export const FORMATS = Object.keys(FORMAT_LABELS) as ModuleFormat[];

export function labelOf<K extends string>(labels: Record<K, string>, key: string): string {
  return (labels as Record<string, string>)[key] ?? key;
}

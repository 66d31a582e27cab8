/** Deterministic Metrics for store tests: different seeds give different, contract-valid values. */
import type { Metrics } from '@pillars/contracts';

export function makeMetrics(seed: number): Metrics {
  const n = Math.abs(Math.trunc(seed));
  const dials = 10 + (n % 37);
  const connects = n % (dials + 1);
  const meetingsHeld = n % 5;
  const meetingsNoShow = n % 3;
  const dealsWon = n % 4;
  const dealsLost = n % 2;
  return {
    dials,
    connects,
    connectRate: connects / dials,
    talkTimeMs: connects * 61_000,
    inboundCalls: n % 7,
    emailsSent: 3 * (n % 11),
    emailsReceived: n % 13,
    meetingsBooked: meetingsHeld + meetingsNoShow,
    meetingsScheduled: meetingsHeld + meetingsNoShow + 1,
    meetingsHeld,
    meetingsNoShow,
    meetingsCanceled: n % 2,
    meetingHeldRate:
      meetingsHeld + meetingsNoShow === 0 ? null : meetingsHeld / (meetingsHeld + meetingsNoShow),
    notes: n % 9,
    tasksCompleted: n % 6,
    dealsCreated: dealsWon + dealsLost + 1,
    dealsWon,
    dealsLost,
    winRate: dealsWon + dealsLost === 0 ? null : dealsWon / (dealsWon + dealsLost),
    wonAmount: dealsWon * 1250.5 + n,
  };
}

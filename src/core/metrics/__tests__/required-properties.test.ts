import fc from 'fast-check';
import { COUNT_METRICS } from '@pillars/contracts';
import type { CrmRecord } from '../../crm.js';
import { createMetricsAccumulator } from '../accumulator.js';
import { connectedOutcomeIds } from '../outcomes.js';
import { DECIDING_TIMESTAMPS, METRIC_OBJECT_TYPES, REQUIRED_PROPERTIES } from '../properties.js';
import { PERIOD, RECORD_ARBITRARIES } from './arbitraries.js';

describe('REQUIRED_PROPERTIES', () => {
  it.each(METRIC_OBJECT_TYPES)('lists exactly what the engine reads from %s', (type) => {
    const read = new Set<string>();
    const spy = (r: CrmRecord): CrmRecord => ({
      id: r.id,
      properties: new Proxy(r.properties, {
        get(target, key, receiver) {
          if (typeof key === 'string') read.add(key);
          return Reflect.get(target, key, receiver) as unknown;
        },
      }),
    });
    fc.assert(
      fc.property(fc.array(RECORD_ARBITRARIES[type], { minLength: 1, maxLength: 30 }), (records) => {
        const acc = createMetricsAccumulator({
          buckets: [PERIOD],
          connectedOutcomes: connectedOutcomeIds([]),
        });
        acc.add(type, records.map(spy));
      }),
      { numRuns: 200 },
    );
    expect([...read].sort()).toEqual([...REQUIRED_PROPERTIES[type]].sort());
  });
});

describe('DECIDING_TIMESTAMPS', () => {
  it('places every count metric exactly once', () => {
    const placed = METRIC_OBJECT_TYPES.flatMap((t) => DECIDING_TIMESTAMPS[t].flatMap((e) => [...e.metrics]));
    expect([...placed].sort()).toEqual([...COUNT_METRICS].sort());
  });

  it('names only required properties', () => {
    for (const type of METRIC_OBJECT_TYPES) {
      for (const entry of DECIDING_TIMESTAMPS[type]) {
        const names = [...entry.properties, ...(entry.when ?? []).flat().map((c) => c.property)];
        for (const name of names) expect(REQUIRED_PROPERTIES[type]).toContain(name);
      }
    }
  });

  it('decides meetings by start time, else hs_timestamp', () => {
    expect(DECIDING_TIMESTAMPS.meetings.map((e) => e.properties)).toEqual([
      ['hs_createdate'],
      ['hs_meeting_start_time', 'hs_timestamp'],
    ]);
  });
});

import { connectedOutcomeIds, DEFAULT_CONNECTED_OUTCOME_ID } from '../outcomes.js';

describe('connectedOutcomeIds', () => {
  it('always includes HubSpot default Connected outcome', () => {
    expect(connectedOutcomeIds([])).toEqual(new Set([DEFAULT_CONNECTED_OUTCOME_ID]));
    expect(DEFAULT_CONNECTED_OUTCOME_ID).toBe('f240bbac-87c9-4f6e-bf70-924b57d47db7');
  });

  it('adds dispositions labelled Connected (case-insensitive, trimmed) and extra ids, normalized', () => {
    const ids = connectedOutcomeIds(
      [
        { id: 'A1', label: ' Connected ' },
        { id: 'b2', label: 'CONNECTED' },
        { id: 'c3', label: 'Left voicemail' },
        { id: 'd4', label: 'Connected - follow up' },
        { id: 'e5', label: 'connected' },
      ],
      [' X9 ', ''],
    );
    expect([...ids].sort()).toEqual([DEFAULT_CONNECTED_OUTCOME_ID, 'a1', 'b2', 'e5', 'x9'].sort());
  });
});

import { AppError } from '../../core/errors.js';
import { createInProcessThrottle } from '../../hubspot/index.js';
import type { Store } from '../../store/ports.js';
import { loadConfig } from '../config.js';
import { buildOAuthMode } from '../oauth-mode.js';

const log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('buildOAuthMode', () => {
  it('refuses a configuration that is not in OAuth mode', async () => {
    const throttle = createInProcessThrottle();
    try {
      expect(() =>
        buildOAuthMode({
          config: loadConfig({ HUBSPOT_ACCESS_TOKEN: 'pat-na1-x' }),
          store: {} as Store,
          throttle,
          logger: log,
          metadataTtlMs: 1000,
        }),
      ).toThrow(AppError);
    } finally {
      await throttle.close();
    }
  });
});

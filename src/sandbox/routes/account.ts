/**
 * GET /account-info/v3/details: the portal's id, time zone and currency, with the zone's current
 * UTC offset on the sandbox clock.
 */
import { DateTime } from 'luxon';
import { portalOf, type RouteDef } from '../http.js';

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Account details. */
export const accountRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/account-info/v3/details',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx, env) => {
      const portal = portalOf(ctx);
      const offset = DateTime.fromMillis(env.now(), { zone: portal.timeZone }).offset;
      return {
        status: 200,
        body: {
          portalId: portal.portalId,
          accountType: 'STANDARD',
          timeZone: portal.timeZone,
          companyCurrency: portal.currency,
          additionalCurrencies: [],
          utcOffset: formatOffset(offset),
          utcOffsetMilliseconds: offset * 60_000,
          uiDomain: 'app.hubspot.com',
          dataHostingLocation: 'na1',
          ...(portal.name === undefined ? {} : { accountName: portal.name }),
        },
      };
    },
  },
];

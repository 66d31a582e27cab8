/**
 * The weekly pack fetchers over a fake `hubspot.fetch`: URLs, the structural check, typed errors.
 */
import { BackendError, InvalidReportError, REPORT_TIMEOUT_MS } from '../api';
import type { HubSpotFetch } from '../api';
import {
  checkPack,
  checkPackTeams,
  createPackFetcher,
  createPackTeamsFetcher,
  packTeamsUrl,
  packUrl,
} from '../weekly-pack-api';
import { BACKEND } from './test-utils/mocks';
import { WEST, westPack } from './test-utils/pack-mocks';

const json = (body: unknown, status = 200) =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );

function fake(answer: () => Promise<Response>): { fetchImpl: HubSpotFetch; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetchImpl: (url, options) => {
      urls.push(url);
      expect(options).toEqual({ method: 'GET', timeout: REPORT_TIMEOUT_MS });
      return answer();
    },
  };
}

describe('weekly pack fetchers', () => {
  it('build the URLs', () => {
    expect(packTeamsUrl(BACKEND)).toBe('https://api.pillars.example.com/api/v1/weekly-pack/teams');
    expect(packUrl({ backendOrigin: BACKEND, teamId: '8010002' })).toBe(
      'https://api.pillars.example.com/api/v1/weekly-pack?teamId=8010002',
    );
  });

  it('return the teams and the pack', async () => {
    const teams = fake(() => json({ teams: [WEST] }));
    await expect(createPackTeamsFetcher(teams.fetchImpl)(BACKEND)).resolves.toEqual([WEST]);
    const pack = fake(() => json(westPack()));
    await expect(
      createPackFetcher(pack.fetchImpl)({ backendOrigin: BACKEND, teamId: WEST.id }),
    ).resolves.toMatchObject({
      team: WEST,
    });
  });

  it('turn a 404 into a BackendError with the backend message', async () => {
    const message = 'No weekly pack for this team: it does not exist, or you are not one of its coaches.';
    const { fetchImpl } = fake(() => json({ error: { code: 'NOT_FOUND', message } }, 404));
    await expect(createPackFetcher(fetchImpl)({ backendOrigin: BACKEND, teamId: '1' })).rejects.toEqual(
      new BackendError(404, 'NOT_FOUND', message),
    );
  });

  it('refuse what is not a pack', async () => {
    const { fetchImpl } = fake(() => json({ team: WEST }));
    await expect(
      createPackFetcher(fetchImpl)({ backendOrigin: BACKEND, teamId: '1' }),
    ).rejects.toBeInstanceOf(InvalidReportError);
    expect(checkPack(westPack())).toBeUndefined();
    expect(checkPack({ ...westPack(), members: [{ ownerId: 1 }] })).toBe('a member is malformed');
    expect(checkPackTeams({ teams: [{ id: 1 }] })).toBe('a team is malformed');
    expect(checkPackTeams({ teams: [] })).toBeUndefined();
  });
});

/**
 * The coaching, training and connection sections under HubSpot's test renderer: each renders from
 * its GET answer, saves with a PUT {value, idempotencyKey} (the server's warnings shown, a 400's field
 * marked), and Disconnect asks for a confirmation and posts once.
 */
import {
  Accordion,
  Alert,
  Button,
  Input,
  MultiSelect,
  NumberInput,
  Select,
  StatusTag,
  Tag,
  Text,
  Toggle,
} from '@hubspot/ui-extensions';
import type { CatalogueSetting, CoachesSetting, RulesSetting, TargetsSetting } from '@pillars/contracts';
import { SETTINGS_TIMEOUT_MS } from '../api';
import { renderPage } from './test-utils/render';
import {
  CATALOGUE,
  COACHES,
  CONNECTION,
  NO_DIRECTORY,
  NO_PIPELINES,
  RULES,
  TARGETS,
  fail,
  ok,
} from './test-utils/settings-fixtures';

const saved = (value: unknown, warnings: string[] = []) => ok({ value, source: 'saved', warnings });

describe('activity targets', () => {
  const PATH = '/api/v1/settings/targets';

  it('renders the default targets and the team overrides', async () => {
    const page = await renderPage();
    await page.openTab('targets');
    expect(page.backend.to(`GET ${PATH}`)[0]?.options).toEqual({
      method: 'GET',
      timeout: SETTINGS_TIMEOUT_MS,
    });
    expect(page.findByTestId(Tag, 'targets-source').text).toBe('Saved');
    expect(page.findByTestId(Select, 'targets-default-0-metric').props.value).toBe('dials');
    expect(page.findByTestId(NumberInput, 'targets-default-0-per-week').props.value).toBe(60);
    expect(page.findByTestId(Select, 'targets-default-1-metric').props.value).toBe('meetingsBooked');
    expect(page.findByTestId(NumberInput, 'targets-team-4271-rows-0-per-week').props.value).toBe(80);
    expect(page.findByTestId(Text, 'targets-team-4271-name').text).toBe('East sales');
  });

  it('adds a team override picked by name', async () => {
    const page = await renderPage({ [`PUT ${PATH}`]: saved(TARGETS) });
    await page.openTab('targets');
    expect(page.maybeFindByTestId(Input, 'targets-new-team')).toBeNull();
    // Teams that already have an override are not offered.
    expect(page.findByTestId(Select, 'targets-team-picker').props.options).toEqual([
      { value: '6000', label: 'Partners' },
      { value: '5000', label: 'West sales' },
    ]);
    await page.click('targets-add-team');
    expect(page.findByTestId(Select, 'targets-team-picker').props.validationMessage).toBe('Choose a team.');
    await page.choose('targets-team-picker', '6000');
    await page.click('targets-add-team');
    expect(page.findByTestId(Text, 'targets-team-6000-name').text).toBe('Partners');
    expect(page.findByTestId(Select, 'targets-team-picker').props.options).toEqual([
      { value: '5000', label: 'West sales' },
    ]);
    await page.click('targets-save');
    const body = page.backend.to(`PUT ${PATH}`)[0]?.body as { value: TargetsSetting };
    expect(Object.keys(body.value.teams)).toEqual(['4271', '6000']);
    expect(body.value.teams['6000']).toEqual(TARGETS.default);
  });

  it('saves edited defaults and a new team override', async () => {
    const page = await renderPage({ ...NO_DIRECTORY, [`PUT ${PATH}`]: saved(TARGETS) });
    await page.openTab('targets');
    expect(page.findByTestId(Text, 'targets-lookup-failed-text').text).toContain('(request req-dir)');
    expect(page.findByTestId(Text, 'targets-team-4271-name').text).toBe('Team 4271');
    await page.setNumber('targets-default-0-per-week', 70);
    await page.click('targets-default-1-remove');
    await page.click('targets-default-add');
    await page.choose('targets-default-1-metric', 'emailsSent');
    await page.setNumber('targets-default-1-per-week', 100);
    await page.type('targets-new-team', 'abc');
    await page.click('targets-add-team');
    expect(page.findByTestId(Input, 'targets-new-team').props.validationMessage).toBe(
      'A HubSpot team id is a number, e.g. 4271.',
    );
    await page.type('targets-new-team', '5000');
    await page.click('targets-add-team');
    await page.setNumber('targets-team-5000-rows-0-per-week', 90);
    await page.click('targets-team-4271-remove');
    await page.click('targets-save');

    const put = page.backend.to(`PUT ${PATH}`)[0];
    expect(put?.options).toMatchObject({ method: 'PUT', timeout: SETTINGS_TIMEOUT_MS });
    expect(put?.body).toEqual({
      value: {
        default: [
          { metric: 'dials', perWeek: 70 },
          { metric: 'emailsSent', perWeek: 100 },
        ],
        teams: {
          '5000': [
            { metric: 'dials', perWeek: 90 },
            { metric: 'emailsSent', perWeek: 100 },
          ],
        },
      } satisfies TargetsSetting,
      idempotencyKey: 'key-1',
    });
    await page.waitFor(() => page.findByTestId(Alert, 'targets-saved'));
  });
});

describe('training catalogue', () => {
  const PATH = '/api/v1/settings/training-catalogue';

  it('lists the modules with their fields, retired ones marked', async () => {
    const page = await renderPage();
    await page.openTab('catalogue');
    expect(page.findByTestId(Accordion, 'catalogue-0').props.title).toBe(
      'Discovery basics · discovery-basics',
    );
    expect(page.findByTestId(Input, 'catalogue-0-id').props.readOnly).toBe(true);
    expect(page.findByTestId(Input, 'catalogue-0-url').props.value).toBe(
      'https://learn.example.com/discovery',
    );
    expect(page.findByTestId(Input, 'catalogue-0-tags').props.value).toBe('discovery');
    expect(page.findByTestId(Select, 'catalogue-0-format').props.value).toBe('video');
    expect(page.findByTestId(NumberInput, 'catalogue-0-minutes').props.value).toBe(12);
    expect(page.findByTestId(Accordion, 'catalogue-1').props.title).toBe(
      'What is new in Q3 (retired) · q3-release',
    );
    expect(page.findByTestId(StatusTag, 'catalogue-1-retired-tag').text).toBe(
      'Retired: never assigned again',
    );
    expect(page.findByTestId(Input, 'catalogue-1-release-name').props.value).toBe('Q3 release');
    const stages = page.findByTestId(MultiSelect, 'catalogue-1-release-stage-picker');
    expect(stages.props.value).toEqual(['presentationscheduled']);
    expect(stages.props.options).toContainEqual({
      value: 'presentationscheduled',
      label: 'Sales Pipeline › Presentation scheduled',
    });
    expect(stages.props.options).toContainEqual({ value: 'renewal-due', label: 'Renewals › Renewal due' });
    expect(page.findByTestId(Button, 'catalogue-1-retire').text).toBe('Bring back');
  });

  it('adds a module, saves the catalogue and shows the warnings', async () => {
    const warning =
      'module old-module was removed while 2 assignment(s) of it are open; they stay open without its title and link (mark it retired instead to keep them)';
    // Without the pipelines, release stages are typed as ids.
    const page = await renderPage({ ...NO_PIPELINES, [`PUT ${PATH}`]: [saved(CATALOGUE, [warning])] });
    await page.openTab('catalogue');
    await page.click('catalogue-add');
    const m = 'catalogue-2';
    expect(page.findByTestId(Accordion, m).props.open).toBe(true);
    expect(page.findByTestId(Input, `${m}-id`).props.readOnly).toBe(false);
    await page.type(`${m}-id`, 'booking-roleplay');
    await page.type(`${m}-title`, 'Booking role-play');
    await page.type(`${m}-url`, 'https://learn.example.com/booking');
    await page.type(`${m}-tags`, 'booking, cold-calls');
    await page.choose(`${m}-format`, 'roleplay');
    await page.setNumber(`${m}-minutes`, 30);
    await page.type(`${m}-version`, '3');
    await page.toggle(`${m}-release-toggle`, true);
    await page.type(`${m}-release-name`, 'Q4 release');
    await page.type(`${m}-release-stages`, 'contractsent, decisionmakerboughtin');
    await page.click('catalogue-0-retire');
    await page.toggle('catalogue-1-release-toggle', false);
    await page.click('catalogue-1-retire');
    await page.click('catalogue-save');

    const body = page.backend.to(`PUT ${PATH}`)[0]?.body as {
      value: CatalogueSetting;
      idempotencyKey: string;
    };
    expect(body.idempotencyKey).toBe('key-1');
    expect(body.value.modules).toEqual([
      { ...CATALOGUE.modules[0], retired: true },
      {
        id: 'q3-release',
        title: 'What is new in Q3',
        url: 'https://learn.example.com/q3',
        skillTags: ['product', 'release'],
        format: 'article',
        minutes: 5,
        version: '2',
      },
      {
        id: 'booking-roleplay',
        title: 'Booking role-play',
        url: 'https://learn.example.com/booking',
        skillTags: ['booking', 'cold-calls'],
        format: 'roleplay',
        minutes: 30,
        version: '3',
        release: { name: 'Q4 release', stageIds: ['contractsent', 'decisionmakerboughtin'] },
      },
    ]);
    await page.waitFor(() => page.findByTestId(Alert, 'catalogue-saved'));
    expect(page.findByTestId(Text, 'catalogue-warning-0').text).toBe(warning);
  });

  it("picks a release's deal stages across pipelines, keeping a stage no pipeline has", async () => {
    const page = await renderPage({ [`PUT ${PATH}`]: saved(CATALOGUE) });
    await page.openTab('catalogue');
    await page.click('catalogue-add');
    await page.toggle('catalogue-2-release-toggle', true);
    await page.type('catalogue-2-release-name', 'Renewals kit');
    await page.chooseMany('catalogue-2-release-stage-picker', ['renewal-due', 'qualifiedtobuy']);
    expect(page.findByTestId(MultiSelect, 'catalogue-2-release-stage-picker').props.value).toEqual([
      'renewal-due',
      'qualifiedtobuy',
    ]);
    await page.click('catalogue-save');
    const body = page.backend.to(`PUT ${PATH}`)[0]?.body as { value: CatalogueSetting };
    expect(body.value.modules[2]?.release).toEqual({
      name: 'Renewals kit',
      stageIds: ['renewal-due', 'qualifiedtobuy'],
    });
  });

  it('offers a saved release stage that no pipeline has, marked', async () => {
    const page = await renderPage({
      'GET /api/v1/settings/training-catalogue': ok({
        value: { modules: [{ ...CATALOGUE.modules[1], release: { name: 'Old', stageIds: ['gone-stage'] } }] },
        source: 'saved',
      }),
    });
    await page.openTab('catalogue');
    expect(page.findByTestId(MultiSelect, 'catalogue-0-release-stage-picker').props.options).toContainEqual({
      value: 'gone-stage',
      label: 'Stage gone-stage (not in any pipeline)',
    });
  });

  it("marks the field a 400 names on the module's input", async () => {
    const field = 'value.modules.2.url';
    const page = await renderPage({
      [`PUT ${PATH}`]: fail(400, 'INVALID_INPUT', `${field}: must be an https link`, 'req-9', field),
    });
    await page.openTab('catalogue');
    await page.click('catalogue-add');
    await page.type('catalogue-2-url', 'http://insecure.example.com');
    await page.click('catalogue-save');
    await page.waitFor(() => page.findByTestId(Alert, 'catalogue-failed'));
    expect(page.findByTestId(Alert, 'catalogue-failed').props.title).toBe('Training catalogue not saved');
    expect(page.findByTestId(Text, 'catalogue-failed-field').text).toBe(`Field: ${field}`);
    expect(page.findByTestId(Input, 'catalogue-2-url').props.validationMessage).toBe('must be an https link');
  });
});

describe('training rules', () => {
  const PATH = '/api/v1/settings/training-rules';

  it('renders the rules, the release switch and the cap, and saves them', async () => {
    const warning = 'rule cold: no module in the catalogue has the tag "cold-calls"';
    const page = await renderPage({ [`PUT ${PATH}`]: saved(RULES, [warning]) });
    await page.openTab('rules');
    expect(page.findByTestId(Tag, 'rules-source').text).toBe('Default (not saved yet)');
    expect(page.findByTestId(Select, 'rules-0-metric').props.value).toBe('bookingRate');
    expect(page.findByTestId(Select, 'rules-0-comparator').props.value).toBe('belowTeamMedian');
    expect(page.findByTestId(NumberInput, 'rules-0-weeks').props.value).toBe(3);
    expect(page.findByTestId(NumberInput, 'rules-0-out-of').props.value).toBe(4);
    expect(page.findByTestId(Input, 'rules-0-tag').props.value).toBe('booking');
    expect(page.findByTestId(Toggle, 'rules-release').props.checked).toBe(true);
    expect(page.findByTestId(NumberInput, 'rules-cap').props.value).toBe(2);

    await page.click('rules-add');
    await page.choose('rules-1-metric', 'dials');
    await page.choose('rules-1-comparator', 'belowTeamMedian');
    await page.setNumber('rules-1-weeks', 2);
    await page.setNumber('rules-1-out-of', 6);
    await page.type('rules-1-tag', 'cold-calls');
    await page.toggle('rules-release', false);
    await page.setNumber('rules-cap', 4);
    await page.click('rules-save');
    const body = page.backend.to(`PUT ${PATH}`)[0]?.body as { value: RulesSetting };
    expect(body.value).toEqual({
      rules: [
        RULES.rules[0],
        { metric: 'dials', comparator: 'belowTeamMedian', weeks: 2, outOf: 6, moduleTag: 'cold-calls' },
      ],
      releaseRules: false,
      monthlyCap: 4,
    });
    await page.waitFor(() => page.findByTestId(Text, 'rules-warning-0'));
    expect(page.findByTestId(Text, 'rules-warning-0').text).toBe(warning);
    expect(page.findByTestId(Tag, 'rules-source').text).toBe('Saved');
  });
});

describe('coaches', () => {
  const PATH = '/api/v1/settings/coaches';

  it('shows the coaches of each team by email, super admins marked', async () => {
    const page = await renderPage();
    await page.openTab('coaches');
    const east = page.findByTestId(MultiSelect, 'coaches-team-4271-coaches');
    expect(east.props.label).toBe('East sales: coaches');
    expect(east.props.value).toEqual(['9001', '9002']);
    expect(east.props.options).toEqual([
      { value: '9001', label: 'ana@example.com (super admin)' },
      { value: '9002', label: 'ben@example.com' },
      { value: '9003', label: 'cara@example.com' },
      { value: '9004', label: 'dev@example.com' },
    ]);
    expect(page.findByTestId(MultiSelect, 'coaches-team-5000-coaches').props.description).toBe(
      'No coaches: super admins coach this team.',
    );
    expect(page.maybeFindByTestId(Input, 'coaches-team-4271-users')).toBeNull();
    expect(page.findByTestId(Select, 'coaches-team-picker').props.options).toEqual([
      { value: '6000', label: 'Partners' },
    ]);
  });

  it('adds a team picked by name with coaches picked by email, and marks the user a 400 names', async () => {
    const field = 'value.teams.6000.1';
    const page = await renderPage({
      [`PUT ${PATH}`]: [
        fail(400, 'INVALID_INPUT', `${field}: user 9003 is deactivated`, 'req-3', field),
        saved(COACHES),
      ],
    });
    await page.openTab('coaches');
    await page.choose('coaches-team-picker', '6000');
    await page.click('coaches-add-team');
    expect(page.findByTestId(MultiSelect, 'coaches-team-6000-coaches').props.label).toBe('Partners: coaches');
    await page.chooseMany('coaches-team-6000-coaches', ['9004', '9003']);
    await page.click('coaches-team-5000-remove');
    await page.click('coaches-save');
    expect(page.backend.to(`PUT ${PATH}`)[0]?.body).toEqual({
      value: { teams: { '4271': ['9001', '9002'], '6000': ['9004', '9003'] } },
      idempotencyKey: 'key-1',
    });
    await page.waitFor(() => page.findByTestId(Alert, 'coaches-failed'));
    expect(page.findByTestId(MultiSelect, 'coaches-team-6000-coaches').props.validationMessage).toBe(
      'user 9003 is deactivated',
    );
  });

  it('keeps a saved coach or team the directory does not know', async () => {
    const page = await renderPage({
      'GET /api/v1/settings/coaches': ok({ value: { teams: { '7777': ['9999'] } }, source: 'saved' }),
    });
    await page.openTab('coaches');
    const coaches = page.findByTestId(MultiSelect, 'coaches-team-7777-coaches');
    expect(coaches.props.label).toBe('Team 7777: coaches');
    expect(coaches.props.options).toContainEqual({ value: '9999', label: 'User 9999 (not in HubSpot)' });
  });

  it('falls back to typed ids when the directory does not load', async () => {
    const page = await renderPage(NO_DIRECTORY);
    await page.openTab('coaches');
    expect(page.findByTestId(Alert, 'coaches-lookup-failed').props.title).toBe(
      "The teams and users didn't load",
    );
    expect(page.findByTestId(Text, 'coaches-lookup-failed-text').text).toBe(
      'HubSpot did not answer. Try again; if it keeps failing, contact Pillars support (request req-dir). Until then, type the HubSpot ids below.',
    );
    expect(page.findByTestId(Text, 'coaches-intro').text).toContain(
      "Teams without coaches here are coached by the account's super admins.",
    );
    expect(page.findByTestId(Input, 'coaches-team-4271-users').props.value).toBe('9001, 9002');
    expect(page.findByTestId(Tag, 'coaches-team-4271-users-tag-1').text).toBe('9002');
    expect(page.findByTestId(Input, 'coaches-team-5000-users').props.description).toBe(
      'No coaches: super admins coach this team. Separate ids with commas.',
    );
  });

  it('saves the teams, and marks an unknown user the server names', async () => {
    const field = 'value.teams.6000.1';
    const page = await renderPage({
      ...NO_DIRECTORY,
      [`PUT ${PATH}`]: [
        fail(400, 'INVALID_INPUT', `${field}: no user 77 in this HubSpot account`, 'req-77', field),
        saved(COACHES),
      ],
    });
    await page.openTab('coaches');
    await page.type('coaches-new-team', '6000');
    await page.click('coaches-add-team');
    await page.type('coaches-team-6000-users', '9003, 77');
    await page.click('coaches-team-5000-remove');
    await page.click('coaches-save');
    const body = page.backend.to(`PUT ${PATH}`)[0]?.body as { value: CoachesSetting; idempotencyKey: string };
    expect(body).toEqual({
      value: { teams: { '4271': ['9001', '9002'], '6000': ['9003', '77'] } },
      idempotencyKey: 'key-1',
    });
    await page.waitFor(() => page.findByTestId(Alert, 'coaches-failed'));
    expect(page.findByTestId(Input, 'coaches-team-6000-users').props.validationMessage).toBe(
      'no user 77 in this HubSpot account',
    );
    await page.type('coaches-team-6000-users', '9003');
    await page.click('coaches-save');
    await page.waitFor(() => page.findByTestId(Alert, 'coaches-saved'));
    expect(page.backend.to(`PUT ${PATH}`).map((s) => s.body?.idempotencyKey)).toEqual(['key-1', 'key-2']);
  });
});

describe('connection and data retention', () => {
  const DISCONNECT = 'POST /api/v1/settings/connection/disconnect';

  it('shows the account, the scopes and the retention period', async () => {
    const page = await renderPage();
    await page.openTab('connection');
    expect(page.findByTestId(StatusTag, 'connection-status').text).toBe('Connected');
    expect(page.findByTestId(Text, 'connection-portal').text).toBe('123456');
    expect(page.findByTestId(Text, 'connection-domain').text).toBe('acme.hubspot.com');
    expect(page.findByTestId(Text, 'connection-installed').text).toBe('Nov 1, 2026, 9:30 AM');
    expect(page.findAll(Tag).map((t) => t.text)).toEqual(
      expect.arrayContaining(['crm.objects.deals.read', 'oauth']),
    );
    expect(page.findByTestId(Text, 'connection-retention').text).toContain('kept 30 days by default');
  });

  it('shows the retention period the backend sends', async () => {
    const page = await renderPage({
      'GET /api/v1/settings/connection': ok({ ...CONNECTION, retentionDays: 90 }),
    });
    await page.openTab('connection');
    expect(page.findByTestId(Text, 'connection-retention').text).toBe(
      "When Pillars is uninstalled from HubSpot, this account's data is kept 90 days, then deleted.",
    );
  });

  it('asks for a confirmation, then posts the disconnect once with its key', async () => {
    const page = await renderPage({ [DISCONNECT]: 'hold' });
    await page.openTab('connection');
    await page.click('connection-disconnect');
    expect(page.backend.to(DISCONNECT)).toHaveLength(0);
    expect(page.findByTestId(Text, 'connection-confirm-text').text).toContain('deleted at once');
    await page.click('connection-confirm-cancel');
    expect(page.maybeFindByTestId(Alert, 'connection-confirm')).toBeNull();

    await page.click('connection-disconnect');
    await page.click('connection-confirm-yes');
    await page.clickSend('connection-confirm-yes');
    expect(page.findByTestId(Button, 'connection-confirm-cancel').props.disabled).toBe(true);
    const posts = page.backend.to(DISCONNECT);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.options).toEqual({
      method: 'POST',
      body: { idempotencyKey: 'key-1' },
      timeout: SETTINGS_TIMEOUT_MS,
    });
    page.backend.held[0]?.release(
      ok({ portalId: 123456, status: 'uninstalled', hubspot: 'uninstalled', dataDeleted: true }),
    );
    await page.waitFor(() => page.findByTestId(Alert, 'connection-disconnected'));
    expect(page.findByTestId(Text, 'connection-disconnected-text').text).toContain('is deleted');
  });

  it('retries a failed disconnect with the same key', async () => {
    const page = await renderPage({
      [DISCONNECT]: [
        fail(502, 'HUBSPOT_UNAVAILABLE', 'HubSpot did not answer.', 'req-502'),
        ok({ portalId: 123456, status: 'uninstalled', dataDeleted: false }),
      ],
    });
    await page.openTab('connection');
    await page.click('connection-disconnect');
    await page.click('connection-confirm-yes');
    await page.waitFor(() => page.findByTestId(Alert, 'connection-disconnect-failed'));
    expect(page.findByTestId(Text, 'connection-disconnect-failed-text').text).toBe(
      'HubSpot did not answer. Try again; if it keeps failing, contact Pillars support (request req-502).',
    );
    expect(page.findByTestId(Button, 'connection-confirm-yes').text).toBe('Try again');
    await page.click('connection-confirm-yes');
    await page.waitFor(() => page.findByTestId(Alert, 'connection-disconnected'));
    expect(page.backend.to(DISCONNECT).map((s) => s.body?.idempotencyKey)).toEqual(['key-1', 'key-1']);
    expect(page.findByTestId(Text, 'connection-disconnected-text').text).toContain('completed automatically');
  });

  it('says when this deployment has no Marketplace connection', async () => {
    const page = await renderPage({
      'GET /api/v1/settings/connection': fail(404, 'NOT_FOUND', 'No such endpoint.', 'req-1'),
    });
    await page.openTab('connection');
    expect(page.findByTestId(Alert, 'connection-not-oauth').props.title).toBe(
      'No Marketplace connection to manage',
    );
  });
});

/**
 * The settings page under HubSpot's test renderer: the page states (misconfigured BACKEND_ORIGIN,
 * loading, a failure with its request id, the "only super admins" state on a 403), the tabs (a
 * section loads once, when first opened) and the playbook editor (stages, criteria of every kind,
 * the PUT it sends with its idempotency key, a 400 naming a field, reset to default).
 */
import {
  Accordion,
  Alert,
  Button,
  ErrorState,
  Heading,
  Input,
  LoadingButton,
  LoadingSpinner,
  MultiSelect,
  NumberInput,
  Select,
  Tab,
  Tag,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import type { Playbook } from '@pillars/contracts';
import { SETTINGS_TIMEOUT_MS } from '../api';
import { renderPage, settle } from './test-utils/render';
import {
  BACKEND,
  NO_PIPELINES,
  PIPELINES,
  fail,
  makeContext,
  makePlaybook,
  ok,
} from './test-utils/settings-fixtures';

const PLAYBOOK = '/api/v1/settings/playbooks/default';
const STAGE = 'stage-appointmentscheduled';
const PIPELINES_PATH = '/api/v1/settings/pipelines';
const DIRECTORY_PATH = '/api/v1/settings/directory';

describe('page states', () => {
  it('explains a missing or unusable BACKEND_ORIGIN without sending anything', async () => {
    for (const variables of [undefined, { BACKEND_ORIGIN: 'http://api.example.com' }]) {
      const page = await renderPage({}, makeContext({ variables }));
      const state = page.findByTestId(ErrorState, 'settings-misconfigured');
      expect(state.props.title).toBe("Pillars isn't set up correctly");
      expect(page.findByTestId(Text, 'settings-misconfigured-message').text).toContain('BACKEND_ORIGIN');
      expect(page.backend.sent).toHaveLength(0);
    }
  });

  it('shows a spinner while the first section loads', async () => {
    const page = await renderPage({ [`GET ${PLAYBOOK}`]: 'hold' });
    expect(page.findByTestId(LoadingSpinner, 'playbooks-loading').props.label).toBe('Loading playbook');
    page.backend.held[0]?.release(ok({ source: 'default', playbook: makePlaybook() }));
    await page.waitFor(() => page.findByTestId(Accordion, STAGE));
  });

  it('replaces the page with the "only super admins" state on a 403', async () => {
    const page = await renderPage({
      [`GET ${PLAYBOOK}`]: fail(
        403,
        'FORBIDDEN',
        'Only super admins of this HubSpot account can do this.',
        'req-403',
      ),
    });
    await page.waitFor(() => page.findByTestId(ErrorState, 'settings-not-authorised'));
    expect(page.findByTestId(ErrorState, 'settings-not-authorised').props.type).toBe('lock');
    expect(page.findByTestId(Text, 'settings-not-authorised-message').text).toBe(
      'Only super admins of this HubSpot account can do this. (request req-403)',
    );
    expect(page.maybeFindByTestId(Tab, 'tab-playbooks')).toBeNull();
  });

  it('shows a failure with the request id, and loads again on retry', async () => {
    const page = await renderPage({
      [`GET ${PLAYBOOK}`]: [
        fail(500, 'INTERNAL', 'Something went wrong.', 'req-500'),
        ok({ source: 'stored', playbook: makePlaybook() }),
      ],
    });
    expect(page.findByTestId(ErrorState, 'playbooks-error').props.title).toBe("The playbook didn't load");
    expect(page.findByTestId(Text, 'playbooks-error-message').text).toBe(
      'Something went wrong. Try again; if it keeps failing, contact Pillars support (request req-500).',
    );
    await page.click('playbooks-retry');
    await page.waitFor(() => page.findByTestId(Accordion, STAGE));
  });

  it('says when the backend does not answer in time', async () => {
    const page = await renderPage({ [`GET ${PLAYBOOK}`]: 'unreachable' });
    expect(page.findByTestId(Text, 'playbooks-error-message').text).toContain(
      "didn't answer within 15 seconds",
    );
  });

  it('loads a section when its tab is first opened, once', async () => {
    const page = await renderPage();
    expect(page.backend.sent.map((s) => s.path)).toEqual([PLAYBOOK, PIPELINES_PATH]);
    await page.openTab('targets');
    await page.openTab('playbooks');
    await page.openTab('targets');
    // The teams are loaded for the targets' overrides; the catalogue then reuses the pipelines.
    await page.openTab('catalogue');
    expect(page.backend.sent.map((s) => s.path)).toEqual([
      PLAYBOOK,
      PIPELINES_PATH,
      '/api/v1/settings/targets',
      DIRECTORY_PATH,
      '/api/v1/settings/training-catalogue',
    ]);
    expect(page.findByTestId(Tab, 'tab-targets').props.title).toBe('Activity targets');
  });
});

describe('playbooks', () => {
  it('loads the default pipeline with a signed GET and a timeout, and shows every stage', async () => {
    const page = await renderPage();
    expect(page.backend.sent[0]).toMatchObject({
      url: `${BACKEND}${PLAYBOOK}`,
      options: { method: 'GET', timeout: SETTINGS_TIMEOUT_MS },
    });
    expect(page.findByTestId(Tag, 'playbook-source').text).toBe('Saved playbook');
    expect(page.findByTestId(Heading, 'playbook-heading').text).toBe('Sales Pipeline');
    expect(page.findByTestId(Text, 'playbook-stages').text).toBe(
      '3 stage(s), in pipeline order: Appointment scheduled, Qualified to buy, Closed won',
    );
    expect(page.findByTestId(Accordion, STAGE).props.title).toBe('Appointment scheduled · 2 criteria');
    expect(page.findByTestId(Input, `${STAGE}-goal`).props.value).toBe(
      'Book a discovery call with the buyer.',
    );
    expect(page.findByTestId(TextArea, `${STAGE}-guidance`).props.value).toBe(
      'Call within a day of the inbound request.',
    );
    expect(page.findByTestId(NumberInput, `${STAGE}-sla`).props.value).toBe(7);
    // The activity criterion and the property criterion with their fields.
    expect(page.findByTestId(Select, `${STAGE}-criterion-0-kind`).props.value).toBe('activity');
    expect(page.findByTestId(Select, `${STAGE}-criterion-0-type`).props.value).toBe('meetings');
    expect(page.findByTestId(NumberInput, `${STAGE}-criterion-0-days`).props.value).toBe(30);
    expect(page.findByTestId(Select, `${STAGE}-criterion-1-level`).props.value).toBe('recommended');
    expect(page.findByTestId(Input, `${STAGE}-criterion-1-condition-property`).props.value).toBe('amount');
    expect(page.findByTestId(Select, `${STAGE}-criterion-1-condition-op`).props.value).toBe('gt');
    expect(page.findByTestId(NumberInput, `${STAGE}-criterion-1-condition-value`).props.value).toBe(0);
    // The association criterion's contact condition.
    const q = 'stage-qualifiedtobuy-criterion-0';
    expect(page.findByTestId(NumberInput, `${q}-min-count`).props.value).toBe(1);
    expect(page.findByTestId(Input, `${q}-where-0-values`).props.value).toBe('BUDGET_HOLDER');
    expect(page.findByTestId(Text, 'stage-closedwon-no-criteria').text).toContain('No criteria');
  });

  it('offers the pipelines by name and loads the one picked', async () => {
    const renewals = makePlaybook({ pipelineId: 'renewals', stages: {} });
    const page = await renderPage({
      'GET /api/v1/settings/playbooks/renewals': ok({ source: 'default', playbook: renewals }),
    });
    const picker = page.findByTestId(Select, 'playbooks-pipeline-select');
    expect(picker.props.value).toBe('default');
    expect(picker.props.options).toEqual([
      { value: 'default', label: 'Sales Pipeline' },
      { value: 'renewals', label: 'Renewals' },
    ]);
    expect(page.maybeFindByTestId(Input, 'playbooks-pipeline')).toBeNull();
    await page.choose('playbooks-pipeline-select', 'renewals');
    expect(page.backend.to('GET /api/v1/settings/playbooks/renewals')).toHaveLength(1);
    expect(page.findByTestId(Heading, 'playbook-heading').text).toBe('Renewals');
    expect(page.findByTestId(Select, 'playbooks-pipeline-select').props.value).toBe('renewals');
  });

  it("picks the stages of a condition on the deal's stage from the pipeline", async () => {
    const page = await renderPage({
      [`PUT ${PLAYBOOK}`]: ok({ source: 'stored', playbook: makePlaybook() }),
    });
    const c = `${STAGE}-criterion-1-condition`;
    await page.type(`${c}-property`, 'dealstage');
    // One stage with "equals", several with "is one of" / "is none of".
    await page.choose(`${c}-op`, 'eq');
    await page.choose(`${c}-stage`, 'closedwon');
    expect(page.findByTestId(Select, `${c}-stage`).props.value).toBe('closedwon');
    await page.choose(`${c}-op`, 'in');
    const stages = page.findByTestId(MultiSelect, `${c}-stages`);
    expect(stages.props.options.map((o: { label: string }) => o.label)).toEqual([
      'Appointment scheduled',
      'Qualified to buy',
      'Presentation scheduled',
      'Closed won',
      'Closed lost',
    ]);
    await page.chooseMany(`${c}-stages`, ['qualifiedtobuy', 'presentationscheduled']);
    await page.choose(`${c}-op`, 'notIn');
    await page.click('playbook-save');
    const body = page.backend.to(`PUT ${PLAYBOOK}`)[0]?.body as { playbook: Playbook };
    expect(body.playbook.stages.appointmentscheduled?.criteria[1]).toMatchObject({
      condition: { property: 'dealstage', op: 'notIn', values: ['qualifiedtobuy', 'presentationscheduled'] },
    });
  });

  it('falls back to typed ids when the pipelines do not load, saying why with the request id', async () => {
    const page = await renderPage({
      ...NO_PIPELINES,
      'GET /api/v1/settings/playbooks/renewals': ok({ source: 'default', playbook: makePlaybook() }),
    });
    expect(page.findByTestId(Alert, 'playbooks-lookup-failed').props.title).toBe(
      "The deal pipelines didn't load",
    );
    expect(page.findByTestId(Text, 'playbooks-lookup-failed-text').text).toBe(
      'HubSpot did not answer. Try again; if it keeps failing, contact Pillars support (request req-pipes). Until then, type the HubSpot ids below.',
    );
    // The playbook still loads, with stage ids for names.
    expect(page.findByTestId(Heading, 'playbook-heading').text).toBe('Pipeline default');
    expect(page.findByTestId(Accordion, STAGE).props.title).toBe('Stage appointmentscheduled · 2 criteria');
    await page.type('playbooks-pipeline', 'renewals');
    await page.click('playbooks-load');
    expect(page.backend.to('GET /api/v1/settings/playbooks/renewals')).toHaveLength(1);
    // Try again: the list arrives and the picker replaces the typed id.
    page.backend.routes.set(`GET ${PIPELINES_PATH}`, [ok({ pipelines: PIPELINES })]);
    await page.click('playbooks-lookup-retry');
    await page.waitFor(() => page.findByTestId(Select, 'playbooks-pipeline-select'));
    expect(page.findByTestId(Select, 'playbooks-pipeline-select').props.value).toBe('renewals');
    expect(page.maybeFindByTestId(Alert, 'playbooks-lookup-failed')).toBeNull();
  });

  it('loads another pipeline by id, and refuses an id that cannot be one', async () => {
    const page = await renderPage({
      ...NO_PIPELINES,
      'GET /api/v1/settings/playbooks/renewals': fail(
        404,
        'NOT_FOUND',
        'No deal pipeline renewals in this HubSpot account.',
        'req-404',
      ),
    });
    await page.type('playbooks-pipeline', 'not a pipeline!');
    await page.click('playbooks-load');
    expect(page.findByTestId(Input, 'playbooks-pipeline').props.validationMessage).toBe(
      'A pipeline id is 1 to 64 letters, digits, "-" or "_".',
    );
    await page.type('playbooks-pipeline', ' renewals ');
    await page.click('playbooks-load');
    expect(page.backend.to('GET /api/v1/settings/playbooks/renewals')).toHaveLength(1);
    expect(page.findByTestId(Text, 'playbooks-error-message').text).toBe(
      'No deal pipeline renewals in this HubSpot account. (request req-404)',
    );
  });

  it('saves the edited playbook with a PUT, its key and a timeout, and shows the success', async () => {
    const saved = makePlaybook();
    const page = await renderPage({ [`PUT ${PLAYBOOK}`]: 'hold' });
    await page.type(`${STAGE}-goal`, 'Book the discovery call.');
    await page.typeText(`${STAGE}-guidance`, 'Call within the hour.');
    await page.setNumber(`${STAGE}-sla`, undefined);
    await page.click('playbook-save');
    expect(page.findByTestId(LoadingButton, 'playbook-save').props.loading).toBe(true);
    await page.clickSend('playbook-save'); // a second click while sending sends nothing
    const puts = page.backend.to(`PUT ${PLAYBOOK}`);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.options).toMatchObject({ method: 'PUT', timeout: SETTINGS_TIMEOUT_MS });
    const body = puts[0]?.body as { playbook: Playbook; idempotencyKey: string };
    expect(body.idempotencyKey).toBe('key-1');
    const stage = body.playbook.stages.appointmentscheduled;
    expect(stage?.goal).toBe('Book the discovery call.');
    expect(stage?.guidance).toBe('Call within the hour.');
    expect(stage).not.toHaveProperty('slaDays');
    expect(body.playbook.stages.qualifiedtobuy).toEqual(saved.stages.qualifiedtobuy);

    page.backend.held[0]?.release(ok({ source: 'stored', playbook: body.playbook }));
    await page.waitFor(() => page.findByTestId(Alert, 'playbook-saved'));
    expect(page.findByTestId(Text, 'playbook-saved-text').text).toBe(
      'Deal cards in Sales Pipeline use it from their next view.',
    );
    expect(page.findByTestId(Button, 'playbook-save').text).toBe('Save playbook');
  });

  it("shows a 400's field message next to the field, and sends the corrected playbook with a new key", async () => {
    const field = 'playbook.stages.appointmentscheduled.goal';
    const page = await renderPage({
      [`PUT ${PLAYBOOK}`]: [
        fail(400, 'INVALID_INPUT', `${field}: must be 1 to 200 characters`, 'req-400', field),
        fail(503, 'UNAVAILABLE', 'Try again shortly.', 'req-503'),
        ok({ source: 'stored', playbook: makePlaybook() }),
      ],
    });
    await page.type(`${STAGE}-goal`, '');
    await page.click('playbook-save');
    await page.waitFor(() => page.findByTestId(Alert, 'playbook-failed'));
    expect(page.findByTestId(Alert, 'playbook-failed').props.title).toBe("The playbook wasn't saved");
    expect(page.findByTestId(Text, 'playbook-failed-field').text).toBe(`Field: ${field}`);
    expect(page.findByTestId(Text, 'playbook-failed-text').text).toBe(
      `${field}: must be 1 to 200 characters (request req-400)`,
    );
    const goal = page.findByTestId(Input, `${STAGE}-goal`);
    expect(goal.props.error).toBe(true);
    expect(goal.props.validationMessage).toBe('must be 1 to 200 characters');
    expect(page.findByTestId(Accordion, STAGE).props.open).toBe(true);

    await page.type(`${STAGE}-goal`, 'Book the call.');
    await page.click('playbook-save');
    await page.waitFor(() => expect(page.findByTestId(Button, 'playbook-save').text).toBe('Try again'));
    await page.click('playbook-save'); // the same playbook again: a retry, same key
    await page.waitFor(() => page.findByTestId(Alert, 'playbook-saved'));
    const keys = page.backend.to(`PUT ${PLAYBOOK}`).map((s) => s.body?.idempotencyKey);
    expect(keys).toEqual(['key-1', 'key-2', 'key-2']);
  });

  it('adds, edits and removes criteria of each kind', async () => {
    const page = await renderPage({
      [`PUT ${PLAYBOOK}`]: ok({ source: 'stored', playbook: makePlaybook() }),
    });
    const c = `${STAGE}-criterion-2`;
    await page.click(`${STAGE}-add-criterion`);
    expect(page.findByTestId(Input, `${c}-id`).props.value).toBe('appointmentscheduled-criterion-1');
    await page.type(`${c}-label`, 'Amount over 1000');
    await page.choose(`${c}-kind`, 'property');
    await page.type(`${c}-condition-property`, 'amount');
    await page.choose(`${c}-condition-op`, 'gte');
    await page.setNumber(`${c}-condition-value`, 1000);
    await page.choose(`${c}-level`, 'recommended');
    await page.typeText(`${c}-hint`, 'Confirm the budget.');
    // The activity criterion: distinct contacts and an engagement condition.
    const a = `${STAGE}-criterion-0`;
    await page.setNumber(`${a}-contacts`, 2);
    await page.click(`${a}-where-add`);
    await page.type(`${a}-where-0-property`, 'hs_meeting_outcome');
    await page.choose(`${a}-where-0-op`, 'eq');
    await page.type(`${a}-where-0-value`, 'COMPLETED');
    // The property criterion becomes a time criterion, then is removed.
    await page.choose(`${STAGE}-criterion-1-kind`, 'time');
    expect(page.findByTestId(NumberInput, `${STAGE}-criterion-1-days`).props.value).toBe(14);
    await page.click(`${STAGE}-criterion-1-remove`);
    // In the next stage, the contact condition's values.
    await page.type('stage-qualifiedtobuy-criterion-0-where-0-values', 'BUDGET_HOLDER, Decision maker');

    await page.click('playbook-save');
    const body = page.backend.to(`PUT ${PLAYBOOK}`)[0]?.body as { playbook: Playbook };
    expect(body.playbook.stages.appointmentscheduled?.criteria).toEqual([
      {
        id: 'discovery-call',
        label: 'Discovery call held',
        level: 'required',
        hint: 'Log the discovery call.',
        kind: 'activity',
        type: 'meetings',
        minCount: 1,
        days: 30,
        minDistinctContacts: 2,
        where: [{ property: 'hs_meeting_outcome', op: 'eq', value: 'COMPLETED' }],
      },
      {
        id: 'appointmentscheduled-criterion-1',
        label: 'Amount over 1000',
        level: 'recommended',
        hint: 'Confirm the budget.',
        kind: 'property',
        condition: { property: 'amount', op: 'gte', value: 1000 },
      },
    ]);
    expect(body.playbook.stages.qualifiedtobuy?.criteria[0]).toMatchObject({
      where: [{ property: 'hs_buying_role', op: 'in', values: ['BUDGET_HOLDER', 'Decision maker'] }],
    });
  });

  it('resets to the default after a confirmation, with a DELETE', async () => {
    const fresh = makePlaybook({ stages: {} });
    const page = await renderPage({ [`DELETE ${PLAYBOOK}`]: ok({ source: 'default', playbook: fresh }) });
    await page.click('playbook-reset');
    expect(page.backend.to(`DELETE ${PLAYBOOK}`)).toHaveLength(0);
    expect(page.findByTestId(Text, 'playbook-reset-confirm-text').text).toContain('is deleted');
    await page.click('playbook-reset-yes');
    const deletes = page.backend.to(`DELETE ${PLAYBOOK}`);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.options).toEqual({ method: 'DELETE', timeout: SETTINGS_TIMEOUT_MS });
    await page.waitFor(() => page.findByTestId(Alert, 'playbook-saved'));
    expect(page.findByTestId(Alert, 'playbook-saved').props.title).toBe('Playbook reset');
    expect(page.findByTestId(Tag, 'playbook-source').text).toBe('Default playbook (not saved yet)');
    expect(page.findByTestId(Button, 'playbook-reset').props.disabled).toBe(true);
    await settle();
  });
});

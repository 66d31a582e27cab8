/**
 * Renders the settings page under HubSpot's test renderer over a fake backend, with predictable
 * idempotency keys (`key-1`, `key-2`, ...), and helpers to type, click and switch tabs.
 */
import {
  Button,
  Input,
  LoadingButton,
  MultiSelect,
  NumberInput,
  Select,
  Tabs,
  TextArea,
  Toggle,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { createSettingsApi } from '../../api';
import { SettingsPage } from '../../SettingsPage';
import type { SettingsPageContext, TabId } from '../../SettingsPage';
import type { Answer } from './settings-fixtures';
import { defaultRoutes, fakeBackend, makeContext } from './settings-fixtures';

export async function settle(): Promise<void> {
  for (let i = 0; i < 6; i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
}

export async function renderPage(
  routes: Record<string, Answer | Answer[]> = {},
  context: SettingsPageContext = makeContext(),
) {
  const renderer = createRenderer('settings');
  const backend = fakeBackend({ ...defaultRoutes(), ...routes });
  let n = 0;
  const newKey = () => `key-${(n += 1)}`;
  renderer.render(
    <SettingsPage context={context} api={createSettingsApi(backend.fetchImpl)} newKey={newKey} />,
  );
  await settle();

  const { findByTestId } = renderer;
  const type = async (testId: string, value: string) => {
    findByTestId(Input, testId).trigger('onChange', value as never);
    await settle();
  };
  const typeText = async (testId: string, value: string) => {
    findByTestId(TextArea, testId).trigger('onChange', value as never);
    await settle();
  };
  const setNumber = async (testId: string, value: number | undefined) => {
    findByTestId(NumberInput, testId).trigger('onChange', value as never);
    await settle();
  };
  const choose = async (testId: string, value: string) => {
    findByTestId(Select, testId).trigger('onChange', value as never);
    await settle();
  };
  const chooseMany = async (testId: string, values: string[]) => {
    findByTestId(MultiSelect, testId).trigger('onChange', values as never);
    await settle();
  };
  const toggle = async (testId: string, checked: boolean) => {
    findByTestId(Toggle, testId).trigger('onChange', checked as never);
    await settle();
  };
  const click = async (testId: string) => {
    findByTestId(Button, testId).trigger('onClick');
    await settle();
  };
  /** Clicks a send button whether it is idle or loading (a loading one ignores the click). */
  const clickSend = async (testId: string) => {
    const loading = renderer.maybeFindByTestId(LoadingButton, testId);
    if (loading) loading.trigger('onClick');
    else findByTestId(Button, testId).trigger('onClick');
    await settle();
  };
  const openTab = async (tab: TabId) => {
    findByTestId(Tabs, 'settings-tabs').trigger('onSelectedChange', tab as never);
    await settle();
  };
  return {
    ...renderer,
    backend,
    type,
    typeText,
    setNumber,
    choose,
    chooseMany,
    toggle,
    click,
    clickSend,
    openTab,
  };
}

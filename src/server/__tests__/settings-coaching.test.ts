/**
 * The coaching settings routes' error naming: a zod failure on `value` becomes a 400 whose field
 * keeps array indices, so ops can find the module or team at fault.
 */
import { catalogueSettingSchema, coachesSettingSchema, rulesSettingSchema } from '@pillars/contracts';
import { DEFAULT_RULES, DEMO_CATALOGUE } from '../../functions/training/default-catalogue.js';
import { COACHING_SETTINGS, invalidValue } from '../routes/settings-coaching.js';

function fieldOf(schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, value: unknown) {
  const parsed = schema.safeParse(value) as { success: false; error: Parameters<typeof invalidValue>[0] };
  expect(parsed.success).toBe(false);
  return invalidValue(parsed.error) as Error & { code: string; details?: { field?: string } };
}

test('a bad module link names value.modules.<index>.url', () => {
  const bad = structuredClone(DEMO_CATALOGUE);
  (bad.modules[2] as { url: string }).url = 'http://example.com';
  const e = fieldOf(catalogueSettingSchema, bad);
  expect(e.code).toBe('INVALID_INPUT');
  expect(e.details?.field).toBe('value.modules.2.url');
  expect(e.message).toMatch(/^value\.modules\.2\.url: /);
});

test('duplicate module ids, unknown keys and bad coach ids are named too', () => {
  const dup = { modules: [DEMO_CATALOGUE.modules[0], DEMO_CATALOGUE.modules[0]] };
  expect(fieldOf(catalogueSettingSchema, dup).details?.field).toBe('value.modules.1.id');
  expect(fieldOf(rulesSettingSchema, { ...DEFAULT_RULES, extra: 1 }).details?.field).toBe('value.extra');
  expect(fieldOf(coachesSettingSchema, { teams: { '8010001': ['abc'] } }).details?.field).toBe(
    'value.teams.8010001.0',
  );
});

test('the four settings are served', () => {
  expect([...COACHING_SETTINGS]).toEqual(['coaches', 'targets', 'training-catalogue', 'training-rules']);
});

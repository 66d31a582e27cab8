/**
 * Validating a playbook from settings or storage, with an error that names the failing field.
 */
import { invalidInput } from '../errors.js';
import { playbookSchema } from '@pillars/contracts';
import type { Playbook } from '@pillars/contracts';

/** A zod issue path as a field name: `stages.qualifiedtobuy.criteria[2].days`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? 'playbook' : out;
}

/** The playbook in `value`, or INVALID_INPUT naming the first failing field (`<path>: <problem>`). */
export function parsePlaybook(value: unknown): Playbook {
  const result = playbookSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = formatPath(issue?.path ?? []);
  const message = `${field}: ${issue?.message ?? 'is not valid'}`;
  throw invalidInput(message, { field, issues: result.error.issues.length });
}

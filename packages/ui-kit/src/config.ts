/**
 * A UI extension's configuration comes from the project profile (`hsprofile.<name>.json` variables
 * reach the extension as `context.variables`). It becomes a success/failure union so a bad build
 * renders an actionable message instead of failing on the first request.
 */

export type BackendOrigin = { ok: true; origin: string } | { ok: false; problem: string };

type ProfileVariables = Readonly<Record<string, unknown>> | undefined;

export const BACKEND_ORIGIN_VARIABLE = 'BACKEND_ORIGIN';

export function backendOriginFrom(variables: ProfileVariables): BackendOrigin {
  const value = variables?.[BACKEND_ORIGIN_VARIABLE];
  if (typeof value !== 'string' || value === '') {
    return { ok: false, problem: `the profile variable ${BACKEND_ORIGIN_VARIABLE} is missing` };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, problem: `${BACKEND_ORIGIN_VARIABLE} is not a URL` };
  }
  // hubspot.fetch only reaches https origins listed in permittedUrls.fetch, which holds this value.
  if (url.protocol !== 'https:')
    return { ok: false, problem: `${BACKEND_ORIGIN_VARIABLE} is not an https URL` };
  if (url.origin !== value.replace(/\/$/, '')) {
    return { ok: false, problem: `${BACKEND_ORIGIN_VARIABLE} must be an origin, without a path` };
  }
  return { ok: true, origin: url.origin };
}

/** The failure every loading hook shows when the build has no usable BACKEND_ORIGIN. */
export function misconfigured(problem: string | undefined): { kind: 'misconfigured'; detail?: string } {
  return { kind: 'misconfigured', ...(problem ? { detail: problem } : {}) };
}

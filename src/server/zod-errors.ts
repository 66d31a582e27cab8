/**
 * A zod failure on HTTP input as a 400 that names the field, in words a card can show.
 */
import type { z } from 'zod';
import { AppError } from '../core/errors.js';

/** One problem with the input: the field (when there is one) and what is wrong with it. */
export interface InputProblem {
  field: string | null;
  message: string;
}

function problemsOf(error: z.ZodError): InputProblem[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { field: issue.keys.join(', '), message: 'is not a known parameter' };
    }
    const field = issue.path.filter((part) => typeof part === 'string').join('.');
    return { field: field === '' ? null : field, message: issue.message };
  });
}

/** AppError INVALID_INPUT whose public message names the first bad field; details list them all. */
export function invalidInputFromZod(error: z.ZodError): AppError {
  const problems = problemsOf(error);
  const first = problems[0] ?? { field: null, message: 'the input is not valid' };
  const publicMessage =
    first.field === null ? `Invalid input: ${first.message}.` : `${first.field}: ${first.message}.`;
  return new AppError('INVALID_INPUT', publicMessage, {
    publicMessage,
    details: { field: first.field, problems },
  });
}

/** Parsing of numeric CLI options, with messages that name the option. */
import { invalidInput } from '../../core/errors.js';

/** A non-negative integer option. */
export function parseNonNegativeInt(value: string, option: string): number {
  if (!/^\d+$/.test(value)) throw invalidInput(`${option} must be a whole number, got "${value}"`);
  return Number(value);
}

export const parseLatency = (v: string): number => parseNonNegativeInt(v, '--latency');

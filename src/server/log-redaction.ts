/**
 * What the logger removes before a line is written. Two nets, because one always has holes:
 * by key (authorization, signatures, tokens, secrets, note text and bodies, anywhere in the object)
 * and by value (the configured secrets themselves, bearer tokens, HubSpot token prefixes and
 * `userEmail` query values, anywhere in the final line, messages and stacks included).
 */

export const REDACTED = '[Redacted]';

// Keys whose value is always removed, whatever its type.
const SECRET_KEY = /authorization|cookie|signature|token|secret|password|passwd|api[-_]?key|credential/i;
// Keys that may hold user-written text (coaching notes, request bodies): strings and objects removed;
// numbers and booleans kept (e.g. the `notes` activity count is not note text).
const TEXT_WORDS = new Set(['note', 'notes', 'body', 'text', 'html', 'comment', 'comments', 'content']);

/** By word, not substring: `noteText`, `note_body`, `requestBody` match; `context` does not. */
function isTextKey(key: string): boolean {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .some((word) => TEXT_WORDS.has(word.toLowerCase()));
}

const MAX_DEPTH = 8;

/** A deep copy of `value` with secret and free-text fields replaced by `[Redacted]`. */
export function redactFields(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[Truncated]';
  if (value instanceof Error) return redactFields(serializeError(value), depth);
  if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth + 1));
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value; // Dates, Secrets
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (SECRET_KEY.test(key)) out[key] = REDACTED;
    else if (isTextKey(key) && item !== null && (typeof item === 'string' || typeof item === 'object'))
      out[key] = REDACTED;
    else out[key] = redactFields(item, depth + 1);
  }
  return out;
}

/** An Error as a plain object (type, message, stack, own fields, cause chain). */
export function serializeError(error: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  for (const [key, item] of Object.entries(error)) {
    if (key !== 'cause') out[key] = item;
  }
  if (error.cause !== undefined && depth < 4) {
    out.cause = error.cause instanceof Error ? serializeError(error.cause, depth + 1) : error.cause;
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A scrubber for finished log lines (JSON text): known secret values, in raw and JSON-escaped form,
 * `Bearer …` credentials, HubSpot private-app tokens and `userEmail=` query values.
 */
export function createLineScrubber(secrets: readonly string[]): (line: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  const known = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const secretPattern = known.length > 0 ? new RegExp(known.join('|'), 'g') : null;
  return (line) => {
    let out = secretPattern === null ? line : line.replace(secretPattern, REDACTED);
    // Scheme words as HTTP writes them; lower-case "basic" is too common in prose to match.
    out = out.replace(/\b(Bearer|bearer|BEARER|Basic)(?:\s|%20|\+)+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`);
    out = out.replace(/\bpat-[a-z0-9]{2,4}-[A-Za-z0-9-]{8,}/g, REDACTED);
    out = out.replace(/([?&]userEmail=)[^&#"\s\\]*/gi, `$1${REDACTED}`);
    return out;
  };
}

/**
 * A finished JSON line redacted by key, then scrubbed by value. The key pass here is what covers
 * child-logger bindings, which pino serialises once and never passes through `formatters.log`.
 */
export function createLineRedactor(secrets: readonly string[]): (line: string) => string {
  const scrub = createLineScrubber(secrets);
  return (line) => {
    let redacted = line;
    try {
      redacted = `${JSON.stringify(redactFields(JSON.parse(line) as unknown))}\n`;
    } catch {
      // Not JSON (cannot happen with pino's own output): the value scrub still applies.
    }
    return scrub(redacted);
  };
}

/** A URL path with `userEmail` query values removed, for access-log fields. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]userEmail=)[^&#]*/gi, `$1${REDACTED}`);
}

/**
 * fast-check arbitraries for the route fuzz: hostile JSON (wrong types, huge and unicode strings,
 * out-of-range numbers, nested objects and arrays, prototype-pollution and mass-assignment keys),
 * query values, and request bodies that are guaranteed invalid for a route's schema (a plausible
 * body with at least one mutation no schema of the route accepts).
 */
import fc from 'fast-check';

/** Keys that reach for the prototype chain, and fields a client must never set (mass assignment). */
export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'portalId',
  'authorId',
  'authorUserId',
  'createdAt',
  'role',
  'userId',
  'repOwnerId',
] as const;

/** An object with the given own entries (`__proto__` included, as JSON.parse would make it). */
export function ownObject(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

const SQL_AND_FRIENDS = [
  "' OR 1=1 --",
  '"; drop table coaching_notes; --',
  '%00',
  '\u0000',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '１２３', // full-width digits
  '٣', // Arabic-Indic digit
  '\u202e',
  '\ud83d\ude00',
  '1e309',
  '-1',
  '0',
  '00012',
  '9'.repeat(40),
  'NaN',
  'Infinity',
  'null',
  'true',
  '[object Object]',
];

/** Strings that break things: empty, unicode of every kind, huge, injection payloads. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SQL_AND_FRIENDS, ''),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
  fc.nat({ max: 6000 }).map((n) => `${'x'.repeat(n)}é`),
);

/** JSON scalars with wrong types and out-of-range numbers. */
export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER - 2,
    1e308,
    -1e308,
    0.5,
    -1,
    0,
    2 ** 53,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  hostileString,
);

/** Any JSON value, nested, with hostile keys in objects. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    hostileScalar,
    fc.array(tie('json'), { maxLength: 4 }),
    fc
      .array(
        fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 10 })), tie('json')),
        {
          maxLength: 4,
        },
      )
      .map(ownObject),
  ),
})).json;

/** JSON that is not an object (a whole body of the wrong shape). */
export const notAnObject: fc.Arbitrary<unknown> = fc.oneof(
  hostileScalar,
  fc.array(hostileJson, { maxLength: 3 }),
);

/** JSON that is not a string. */
export const notAString: fc.Arbitrary<unknown> = hostileJson.filter((v) => typeof v !== 'string');

/** A value that is not a string matching `pattern` (wrong type, or a string the pattern refuses). */
export function notMatching(pattern: RegExp): fc.Arbitrary<unknown> {
  return fc.oneof(
    notAString,
    hostileString.filter((s) => !pattern.test(s)),
  );
}

/** One field of a JSON object body. */
export interface FieldSpec {
  name: string;
  /** Plausible values (may be valid). */
  plausible: fc.Arbitrary<unknown>;
  /** Values this field never accepts. */
  wrong: fc.Arbitrary<unknown>;
  required: boolean;
}

type Mutation =
  | { kind: 'set'; name: string; value: unknown }
  | { kind: 'delete'; name: string }
  | { kind: 'extra'; name: string; value: unknown }
  | { kind: 'replace'; value: unknown };

/** The plausible object of the fields (optional ones present or not). */
export function plausibleObject(fields: readonly FieldSpec[]): fc.Arbitrary<Array<[string, unknown]>> {
  return fc
    .tuple(
      ...fields.map((f) =>
        f.required
          ? f.plausible.map((v): [string, unknown] | null => [f.name, v])
          : fc.option(
              f.plausible.map((v): [string, unknown] => [f.name, v]),
              { nil: null },
            ),
      ),
    )
    .map((entries) => entries.filter((e): e is [string, unknown] => e !== null));
}

/**
 * A JSON body the route must refuse: a plausible object of `fields` with one or more mutations,
 * each of which alone makes it invalid (a field of the wrong type or shape, a required field
 * missing, an unknown, mass-assignment or prototype key, or a body that is no object at all).
 */
export function invalidObjectBody(
  fields: readonly FieldSpec[],
  options: { strict?: boolean } = {},
): fc.Arbitrary<string> {
  const names = new Set(fields.map((f) => f.name));
  // A schema that allows unknown keys still refuses the prototype ones (the JSON parser does).
  const extraKeys: fc.Arbitrary<string> =
    options.strict === false
      ? fc.constantFrom('__proto__', 'constructor', 'prototype')
      : fc.oneof(
          fc.constantFrom(...HOSTILE_KEYS),
          fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !names.has(k)),
        );
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc
      .constantFrom(...fields)
      .chain((f) => f.wrong.map((value): Mutation => ({ kind: 'set', name: f.name, value }))),
    ...(fields.some((f) => f.required)
      ? [
          fc
            .constantFrom(...fields.filter((f) => f.required))
            .map((f): Mutation => ({ kind: 'delete', name: f.name })),
        ]
      : []),
    fc.tuple(extraKeys, hostileJson).map(([name, value]): Mutation => ({ kind: 'extra', name, value })),
    notAnObject.map((value): Mutation => ({ kind: 'replace', value })),
  );
  return fc
    .tuple(plausibleObject(fields), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([entries, mutations]) => {
      let replaced: { value: unknown } | null = null;
      const map = new Map<string, unknown>(entries);
      for (const m of mutations) {
        if (m.kind === 'set' || m.kind === 'extra') map.set(m.name, m.value);
        else if (m.kind === 'delete') map.delete(m.name);
        else replaced = { value: m.value };
      }
      return JSON.stringify(replaced === null ? ownObject([...map]) : replaced.value) ?? 'null';
    });
}

/** Encode a query or path value so the URL sent is exactly the URL signed (fetch re-encodes `'`). */
export function strictEncode(value: string): string {
  // A lone surrogate cannot be percent-encoded as UTF-8; it travels as U+FFFD.
  const wellFormed = value.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
  return encodeURIComponent(wellFormed).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The portal fixture format (METRICS.md §5): one JSON file holding a whole portal in the shapes the
 * HubSpot API returns. Parsed with zod; a malformed fixture is refused with the JSON path and the problem.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../core/errors.js';

const propertyValue = z.union([z.string(), z.null()]);

export const fixtureRecordSchema = z.looseObject({
  id: z.string().min(1),
  archived: z.boolean().optional().default(false),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  properties: z.record(z.string(), propertyValue).default({}),
});
export type FixtureRecord = z.infer<typeof fixtureRecordSchema>;
/** A record as a caller may write it, before defaults are applied. */
export type FixtureRecordInput = z.input<typeof fixtureRecordSchema>;

const teamRef = z.looseObject({
  id: z.string(),
  name: z.string(),
  primary: z.boolean().optional().default(false),
});

export const fixtureOwnerSchema = z.looseObject({
  id: z.string().min(1),
  userId: z.number().int().nullable().optional(),
  email: z.string().nullable().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  archived: z.boolean().optional().default(false),
  teams: z.array(teamRef).optional().default([]),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type FixtureOwner = z.infer<typeof fixtureOwnerSchema>;
/** An owner as a caller may write it, before defaults are applied. */
export type FixtureOwnerInput = z.input<typeof fixtureOwnerSchema>;

export const fixtureUserSchema = z.looseObject({
  id: z.string().min(1),
  email: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  superAdmin: z.boolean().optional().default(false),
  primaryTeamId: z.string().nullable().optional(),
  secondaryTeamIds: z.array(z.string()).optional().default([]),
  roleIds: z.array(z.string()).optional(),
});
export type FixtureUser = z.infer<typeof fixtureUserSchema>;

const stageSchema = z.looseObject({
  id: z.string().min(1),
  label: z.string(),
  displayOrder: z.number().int(),
  metadata: z.record(z.string(), z.string()).optional().default({}),
  archived: z.boolean().optional().default(false),
});

export const fixturePipelineSchema = z.looseObject({
  id: z.string().min(1),
  label: z.string(),
  displayOrder: z.number().int(),
  archived: z.boolean().optional().default(false),
  stages: z.array(stageSchema),
});
export type FixturePipeline = z.infer<typeof fixturePipelineSchema>;

export const fixtureAssociationSchema = z.looseObject({
  from: z.object({ type: z.string(), id: z.string() }),
  to: z.object({ type: z.string(), id: z.string() }),
  typeId: z.number().int().optional(),
});
export type FixtureAssociation = z.infer<typeof fixtureAssociationSchema>;

const objectList = z.array(fixtureRecordSchema).optional().default([]);

export const portalFixtureSchema = z.looseObject({
  portal: z.looseObject({
    portalId: z.number().int().positive(),
    timeZone: z.string().min(1),
    currency: z.string().optional().default('USD'),
    name: z.string().optional(),
  }),
  owners: z.array(fixtureOwnerSchema).optional().default([]),
  users: z.array(fixtureUserSchema).optional().default([]),
  teams: z
    .array(z.looseObject({ id: z.string(), name: z.string() }))
    .optional()
    .default([]),
  pipelines: z
    .looseObject({ deals: z.array(fixturePipelineSchema).optional().default([]) })
    .optional()
    .default({ deals: [] }),
  callDispositions: z
    .array(z.looseObject({ id: z.string(), label: z.string() }))
    .optional()
    .default([]),
  objects: z
    .looseObject({
      calls: objectList,
      emails: objectList,
      meetings: objectList,
      notes: objectList,
      tasks: objectList,
      deals: objectList,
      contacts: objectList,
      companies: objectList,
    })
    .optional()
    .default({
      calls: [],
      emails: [],
      meetings: [],
      notes: [],
      tasks: [],
      deals: [],
      contacts: [],
      companies: [],
    }),
  associations: z.array(fixtureAssociationSchema).optional().default([]),
});

/** A whole portal, as loaded from a fixture or made by the demo generator. */
export type PortalFixture = z.infer<typeof portalFixtureSchema>;
/** What a generator may produce before defaults are applied. */
export type PortalFixtureInput = z.input<typeof portalFixtureSchema>;

function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}

/** Validate an already-parsed value as a fixture; throws INVALID_INPUT naming the JSON path of every problem. */
export function parsePortalFixture(value: unknown, source = 'fixture'): PortalFixture {
  const result = portalFixtureSchema.safeParse(value);
  if (result.success) {
    validateTimeZone(result.data.portal.timeZone, source);
    return result.data;
  }
  const problems = result.error.issues.slice(0, 20).map((i) => `${jsonPath(i.path)}: ${i.message}`);
  const more = result.error.issues.length > 20 ? ` (and ${result.error.issues.length - 20} more)` : '';
  const message = `${source} is not a valid portal fixture: ${problems.join('; ')}${more}`;
  throw new AppError('INVALID_INPUT', message, { publicMessage: message, details: { problems } });
}

function validateTimeZone(zone: string, source: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    const message = `${source} is not a valid portal fixture: $.portal.timeZone: unknown time zone "${zone}"`;
    throw new AppError('INVALID_INPUT', message, { publicMessage: message });
  }
}

/** Read and validate a fixture file; every failure (missing file, bad JSON, bad shape) is INVALID_INPUT. */
export async function loadPortalFixture(file: string): Promise<PortalFixture> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const message = `cannot read fixture ${file}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`;
    throw new AppError('INVALID_INPUT', message, { publicMessage: message, cause: e });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = `${file} is not valid JSON: ${(e as Error).message}`;
    throw new AppError('INVALID_INPUT', message, { publicMessage: message, cause: e });
  }
  return parsePortalFixture(value, file);
}
